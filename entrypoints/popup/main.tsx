import '@/utils/zod-setup';
import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { uiLocale } from '@/utils/i18n';

document.documentElement.lang = uiLocale();
render(<Popup />, document.getElementById('app')!);
