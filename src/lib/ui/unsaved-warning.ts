import { beforeNavigate } from '$app/navigation';

/**
 * Warns before leaving a page whose work is not saved: a link inside the app asks with
 * `confirm` (naming what is unsaved); closing or reloading the tab gets the browser's
 * own beforeunload dialog (SvelteKit raises it when a 'leave' navigation is cancelled).
 * Call during a component's initialisation.
 */
export function warnBeforeLeaving(unsaved: () => string | null): void {
  beforeNavigate((navigation) => {
    const what = unsaved();
    if (what === null) return;
    if (navigation.type === 'leave') navigation.cancel();
    else if (!confirm(`${what} has edits not saved in the workspace. Leave this page anyway?`))
      navigation.cancel();
  });
}
