import '@/utils/zod-setup';
import { render } from 'preact';
import { Popup } from '@/components/popup/Popup';
import { localize, uiLocale } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';

document.documentElement.lang = uiLocale();
document.title = localize(ui.popupTitle);
render(<Popup />, document.getElementById('app')!);
