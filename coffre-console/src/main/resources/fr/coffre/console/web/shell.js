// What both consoles' pages share: mounting a view and the start-up sequence (language, static
// texts, skip link, routing on the URL hash, then the session check).
import { t, initLang, onLangChange, mountLanguageSelect, applyStatic } from './i18n.js';
import { h, replace, alertBox, focusHeading } from './dom.js';

/**
 * Mounts a view in `main`. Views build their heading before their first await, so it can take
 * focus at once on navigation; a failure the view did not show itself becomes an alert.
 */
export async function mountView(main, className, render, focus) {
  const view = h('div', { class: `view ${className}` });
  main.replaceChildren(view);
  const done = render(view);
  if (focus) focusHeading(view);
  try {
    await done;
  } catch (err) {
    if (!err.handled) view.append(alertBox(t('error.unknown')));
    console.error(err); // eslint-disable-line no-console
  }
}

/**
 * Starts a console page.
 * @param main the <main> element
 * @param api the page's API client
 * @param onLanguage re-renders after a language switch
 * @param onRoute renders the route after a hash change
 * @param startSession takes GET /session's answer (200)
 * @param showSignIn shows the sign-in form, with an optional message
 */
export async function startShell({ main, api, sessionPath, onLanguage, onRoute, startSession, showSignIn }) {
  initLang();
  mountLanguageSelect(document.getElementById('lang-slot'));
  applyStatic(document);
  document.getElementById('skip').addEventListener('click', (e) => {
    e.preventDefault(); // the hash is the router's
    main.focus();
  });
  onLangChange(() => {
    applyStatic(document);
    onLanguage();
  });
  window.addEventListener('hashchange', () => onRoute());
  replace(main, h('p', { class: 'loading', text: t('common.loading') }));
  try {
    startSession(await api.get(sessionPath, { allow401: true }));
  } catch (err) {
    if (err.status === 401) showSignIn(null);
    else showSignIn({ key: err.status === 0 ? 'error.NetworkError' : 'error.sessionCheck', kind: 'error' });
  }
}
