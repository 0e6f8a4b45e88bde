import { localize } from '@/utils/i18n';
import type { ProblemView } from '@/utils/messaging';
import { ui } from '@/utils/ui-text';

/** Errors first; the severity is a word, not only a colour. */
export function ProblemList({ problems, title }: { problems: ProblemView[]; title?: string }) {
  if (problems.length === 0) return null;
  const sorted = [...problems].sort((a, b) => rank(a) - rank(b));
  return (
    <div class="problems">
      {title && <p class="problems-title">{title}</p>}
      <ul>
        {sorted.map((problem, index) => (
          <li
            key={`${problem.field}-${index}`}
            class={`problem ${problem.severity}`}
            data-severity={problem.severity}
          >
            <strong class="badge">
              {localize(problem.severity === 'error' ? ui.severityError : ui.severityWarning)}
            </strong>{' '}
            <span class="wrap">{problem.message}</span>
            {problem.field && <small class="field">{problem.field}</small>}
          </li>
        ))}
      </ul>
    </div>
  );
}

const rank = (problem: ProblemView) => (problem.severity === 'error' ? 0 : 1);
