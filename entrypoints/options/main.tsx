import '@/utils/zod-setup';
import { render } from 'preact';
import { ConnectionForm } from '@/components/ConnectionForm';
import { localize, uiLocale } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';

document.documentElement.lang = uiLocale();
document.title = localize(ui.optionsTitle);

function Options() {
  return (
    <>
      <h1>{localize(ui.optionsTitle)}</h1>
      <ConnectionForm />
    </>
  );
}

render(<Options />, document.getElementById('app')!);
