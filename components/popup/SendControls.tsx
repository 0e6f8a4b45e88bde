import { localize } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';

/** The dry-run checkbox every send action shares: a dry run validates and previews, sends nothing. */
export function DryRunToggle({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (value: boolean) => void;
}) {
  return (
    <label class="inline">
      <input
        type="checkbox"
        data-testid="dry-run"
        checked={checked}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      {localize(ui.dryRun)}
    </label>
  );
}
