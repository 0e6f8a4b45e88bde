import { localize } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';

/** Loading and error states of something asked from the background. */
export function LoadState({ loading, error }: { loading: boolean; error: string | null }) {
  if (error) {
    return (
      <p role="alert" class="error wrap">
        {error}
      </p>
    );
  }
  return loading ? (
    <p role="status" class="note">
      {localize(ui.loading)}
    </p>
  ) : null;
}

/** One line per error, as the background wrote them. */
export function ErrorLines({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul role="alert" class="error-lines">
      {errors.map((error, index) => (
        <li key={`${index}-${error}`} class="error wrap">
          {error}
        </li>
      ))}
    </ul>
  );
}

export function ErrorText({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" class="error wrap">
      {message}
    </p>
  );
}
