import { render } from 'preact';
import { Popup, readTab } from '@/components/popup/Popup';
import { localize, uiLocale } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';

document.documentElement.lang = uiLocale();
document.title = localize(ui.popupTitle);
// Asked before anything renders: the background starts while Preact builds the page.
const reading = readTab(location.search);
render(<Popup reading={reading} />, document.getElementById('app')!);
