import '@/utils/zod-setup';
import { render } from 'preact';
import { Options } from '@/components/options/Options';
import { localize, uiLocale } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';

document.documentElement.lang = uiLocale();
document.title = localize(ui.optionsTitle);
render(<Options />, document.getElementById('app')!);
