// French and English for every page. Each message is [English, French]; "{name}" is replaced by
// the parameter of that name, and "singular|plural" picks a form by Intl.PluralRules on the
// parameter `count` (else `n`). The chosen language is the only thing kept in the browser
// (localStorage "coffre.lang").

import CONSOLE from './messages-console.js';
import OPERATOR from './messages-operator.js';

const COMMON = {
  'brand.name': ['Coffre', 'Coffre'],
  'brand.tenant': ['Web console', 'Console web'],
  'brand.operator': ['Operator console', 'Console d’exploitation'],
  'brand.share': ['File sharing', 'Partage de fichier'],
  'brand.tagline': ['Sovereign object storage', 'Stockage objet souverain'],
  'skip': ['Skip to content', 'Aller au contenu'],
  'lang.label': ['Language', 'Langue'],
  'noscript': ['This console needs JavaScript.', 'Cette console nécessite JavaScript.'],
  'punct.colon': [': ', '\u00a0: '],
  'units.bytes': ['B,KiB,MiB,GiB,TiB,PiB', 'o,Kio,Mio,Gio,Tio,Pio'],
  'units.duration': ['d,h,min,s', 'j,h,min,s'],

  'common.loading': ['Loading…', 'Chargement…'],
  'common.actions': ['Actions', 'Actions'],
  'common.delete': ['Delete', 'Supprimer'],
  'common.confirm': ['Confirm', 'Confirmer'],
  'common.cancel': ['Cancel', 'Annuler'],
  'common.close': ['Close', 'Fermer'],
  'common.yes': ['Yes', 'Oui'],
  'common.no': ['No', 'Non'],

  'signin.title': ['Sign in to the console', 'Connexion à la console'],
  'signin.intro': ['Use the access key and secret key of your Coffre account.',
    'Utilisez la clé d’accès et la clé secrète de votre compte Coffre.'],
  'signin.firstTitle': ['Where are my first keys?', 'Où sont mes premières clés ?'],
  'signin.firstRoot': ['On a new server, the root credentials of the default tenant are in the file root-credentials of the server’s data directory; the server names that file in its log at its first start.',
    'Sur un nouveau serveur, les identifiants racine du locataire par défaut sont dans le fichier root-credentials du répertoire de données du serveur ; le serveur nomme ce fichier dans son journal à son premier démarrage.'],
  'signin.firstOr': ['(a server started by hand) or', '(serveur lancé à la main) ou'],
  'signin.firstPackage': ['(the Debian package: read it with sudo).', '(paquet Debian : lisez-le avec sudo).'],
  'signin.firstUsers': ['Other users get an access key from their operator (coffre admin access-keys create).',
    'Les autres utilisateurs reçoivent une clé d’accès de leur exploitant (coffre admin access-keys create).'],
  'signin.accessKey': ['Access key', 'Clé d’accès'],
  'signin.secretKey': ['Secret key', 'Clé secrète'],
  'signin.submit': ['Sign in', 'Se connecter'],
  'signin.oidc': ['Sign in with {name}', 'Se connecter avec {name}'],
  'signin.oidcOr': ['or, for technical accounts, with an access key:', 'ou, pour les comptes techniques, avec une clé d’accès :'],
  'signin.invalid': ['The access key or the secret key is incorrect.', 'La clé d’accès ou la clé secrète est incorrecte.'],
  'signin.expired': ['Your session has expired. Please sign in again.', 'Votre session a expiré. Veuillez vous reconnecter.'],
  'signin.signedOut': ['You are signed out.', 'Vous êtes déconnecté.'],

  'nav.label': ['Main menu', 'Menu principal'],
  'nav.buckets': ['Buckets', 'Compartiments'],
  'nav.shares': ['Share links', 'Liens de partage'],
  'nav.keys': ['Keys', 'Clés'],
  'nav.audit': ['Audit trail', 'Journal d’audit'],
  'nav.iam': ['Users and access', 'Utilisateurs et accès'],
  'nav.support': ['Operator support', 'Assistance de l’exploitant'],
  'nav.signOut': ['Sign out', 'Se déconnecter'],
  'who.tenant': ['Tenant', 'Locataire'],
  'who.user': ['User', 'Utilisateur'],

  'sharepage.shared': ['A file has been shared with you', 'Un fichier a été partagé avec vous'],
  'sharepage.file': ['Shared file', 'Fichier partagé'],
  'sharepage.size': ['Size', 'Taille'],
  'sharepage.expires': ['Link expires', 'Expiration du lien'],
  'sharepage.password': ['Password', 'Mot de passe'],
  'sharepage.passwordHint': ['The sender gave you this password separately.', 'L’expéditeur vous a transmis ce mot de passe séparément.'],
  'sharepage.download': ['Download', 'Télécharger'],
  'sharepage.starting': ['The download starts in your browser.', 'Le téléchargement démarre dans votre navigateur.'],
  'sharepage.notice': ['Each download may count against the link’s limit.', 'Chaque téléchargement peut être décompté de la limite du lien.'],
  'sharepage.unavailable': ['Link unavailable', 'Lien indisponible'],
  'sharepage.notFound': ['This link does not exist.', 'Ce lien n’existe pas.'],
  'sharepage.revoked': ['This link has been revoked.', 'Ce lien a été révoqué.'],
  'sharepage.expired': ['This link has expired.', 'Ce lien a expiré.'],
  'sharepage.usedUp': ['This link has reached its download limit.', 'Ce lien a atteint sa limite de téléchargements.'],
  'sharepage.network': ['The server could not be reached. Try again later.', 'Le serveur est injoignable. Réessayez plus tard.'],
  'sharepage.failed': ['This link cannot be opened right now.', 'Ce lien ne peut pas être ouvert pour le moment.'],
  'sharepage.askSender': ['Ask the sender for a new link if you still need the file.',
    'Demandez un nouveau lien à l’expéditeur si vous avez toujours besoin du fichier.'],

  'error.unknown': ['Something went wrong. Please try again.', 'Une erreur est survenue. Veuillez réessayer.'],
  'error.http': ['The server answered with an error (HTTP {status}).', 'Le serveur a répondu par une erreur (HTTP {status}).'],
  'error.sessionCheck': ['The server could not check your session. Reload the page to try again.',
    'Le serveur n’a pas pu vérifier votre session. Rechargez la page pour réessayer.'],
  'error.NetworkError': ['The server could not be reached. Check your connection and try again.',
    'Le serveur est injoignable. Vérifiez votre connexion et réessayez.'],
  'error.MalformedAnswer': ['The server sent an answer this page cannot read.', 'Le serveur a envoyé une réponse illisible pour cette page.'],
  'error.InvalidCredentials': ['The access key or the secret key is incorrect.', 'La clé d’accès ou la clé secrète est incorrecte.'],
  'error.NoSession': ['Your session has ended.', 'Votre session est terminée.'],
  'error.Unauthorized': ['The admin token is not valid.', 'Le jeton d’administration n’est pas valide.'],
  'error.AccessDenied': ['Access denied: your permissions do not allow this action.', 'Accès refusé : vos droits ne permettent pas cette action.'],
  'error.BucketNotEmpty': ['The bucket is not empty: delete its objects first.', 'Le compartiment n’est pas vide : supprimez d’abord ses objets.'],
  'error.BucketAlreadyExists': ['That bucket name is already taken.', 'Ce nom de compartiment est déjà pris.'],
  'error.InvalidBucketName': ['The bucket name is not valid', 'Le nom du compartiment n’est pas valide'],
  'error.NoSuchBucket': ['This bucket does not exist.', 'Ce compartiment n’existe pas.'],
  'error.NoSuchKey': ['This object does not exist (any more).', 'Cet objet n’existe pas (ou plus).'],
  'error.NoSuchUpload': ['The upload no longer exists on the server.', 'Le téléversement n’existe plus sur le serveur.'],
  'error.KeyTooLong': ['The object key is too long (1,024 bytes at most).', 'La clé de l’objet est trop longue (1 024 octets au plus).'],
  'error.EntityTooLarge': ['The file is too large.', 'Le fichier est trop volumineux.'],
  'error.InvalidArgument': ['The request is not valid', 'La requête n’est pas valide'],
  'error.InvalidPart': ['A part of the upload is missing or damaged.', 'Une partie du téléversement manque ou est endommagée.'],
  'error.QuotaExceeded': ['The quota is exceeded', 'Le quota est dépassé'],
  'error.PlacementNotSatisfiable': ['No storage location allowed by the bucket’s class can take the data now',
    'Aucun emplacement autorisé par la classe du compartiment ne peut recevoir les données pour l’instant'],
  'error.InvalidSensitivityClass': ['Unknown sensitivity class', 'Classe de sensibilité inconnue'],
  'error.KeyModeRefused': ['This class does not accept the server’s root key mode', 'Cette classe n’accepte pas le mode de clé racine du serveur'],
  'error.CustomerKeyRequired': ['This object is encrypted with a customer key (SSE-C): use an S3 client that sends it.',
    'Cet objet est chiffré avec une clé client (SSE-C) : utilisez un client S3 qui la fournit.'],
  'error.KmsKey': ['The KMS key cannot be used', 'La clé KMS n’est pas utilisable'],
  'error.Sealed': ['The server’s root key is sealed: an operator must unseal it.', 'La clé racine du serveur est scellée : un exploitant doit la desceller.'],
  'error.AuditUnavailable': ['The audit trail cannot record this action, so it was not done.',
    'Le journal d’audit ne peut pas enregistrer cette action ; elle n’a donc pas été faite.'],
  'error.InternalError': ['Internal server error; the operator will find the details in the server log.',
    'Erreur interne du serveur ; l’exploitant en trouvera le détail dans le journal du serveur.'],
  'error.TooManyAttempts': ['Too many attempts: try again later.', 'Trop de tentatives : réessayez plus tard.'],
  'error.NoSuchShare': ['This link does not exist.', 'Ce lien n’existe pas.'],
  'error.ShareRevoked': ['This link has been revoked.', 'Ce lien a été révoqué.'],
  'error.ShareExpired': ['This link has expired.', 'Ce lien a expiré.'],
  'error.ShareUsedUp': ['This link has reached its download limit.', 'Ce lien a atteint sa limite de téléchargements.'],
  'error.TenantExists': ['A tenant with this name already exists.', 'Un locataire porte déjà ce nom.'],
  'error.TenantNotEmpty': ['The tenant still owns buckets, users or keys', 'Le locataire possède encore des compartiments, utilisateurs ou clés'],
  'error.NoSuchTenant': ['This tenant does not exist.', 'Ce locataire n’existe pas.'],
  'error.MalformedJson': ['The request was refused as malformed', 'La requête a été refusée comme mal formée'],
  'error.NotFound': ['Not found: the server does not offer this page’s data.', 'Introuvable : le serveur ne fournit pas les données de cette page.'],
};

// The tenant and operator messages live in their own modules; every page loads all of them.
const M = { ...COMMON, ...CONSOLE, ...OPERATOR };

const LANGS = ['en', 'fr'];
const STORAGE_KEY = 'coffre.lang';
let current = 'en';
const listeners = new Set();

/** The language at start: the stored choice, else the browser's (fr… → fr), else English. */
export function initLang() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage disabled: follow the browser
  }
  current = LANGS.includes(stored) ? stored
    : String(navigator.language || '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
  document.documentElement.lang = current;
  return current;
}

export function lang() { return current; }

/** The locale for Intl: French as in France, English as the browser writes it. */
export function locale() {
  if (current === 'fr') return 'fr-FR';
  const nav = String(navigator.language || '');
  return nav.toLowerCase().startsWith('en') ? nav : 'en';
}

export function has(key) { return Object.prototype.hasOwnProperty.call(M, key); }

/** The message `key` in the current language, with {params} filled in. */
export function t(key, params) {
  const entry = M[key];
  let s = entry ? entry[current === 'fr' ? 1 : 0] : key;
  if (s.includes('|') && params) {
    const n = Number(params.count ?? params.n);
    const forms = s.split('|');
    s = Number.isFinite(n) && new Intl.PluralRules(locale()).select(n) === 'one' ? forms[0] : forms[1];
  }
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] != null ? String(params[k]) : m));
  return s;
}

/** Switches the language, keeps the choice, and tells the pages to re-render. */
export function setLang(l) {
  if (!LANGS.includes(l) || l === current) return;
  current = l;
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // not kept: the switch still applies to this page
  }
  document.documentElement.lang = l;
  for (const fn of listeners) fn(l);
}

export function onLangChange(fn) { listeners.add(fn); }

/** Fills elements marked data-i18n (text) and data-i18n-label (aria-label) in static HTML. */
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

/** Puts the "Language" select into `slot`; it stays in place (and keeps focus) across switches. */
export function mountLanguageSelect(slot) {
  const label = document.createElement('label');
  label.htmlFor = 'lang-select';
  label.textContent = t('lang.label');
  const select = document.createElement('select');
  select.id = 'lang-select';
  for (const [value, name] of [['en', 'English'], ['fr', 'Français']]) {
    const option = document.createElement('option');
    option.value = value;
    option.lang = value;
    option.textContent = name;
    option.selected = value === current;
    select.append(option);
  }
  select.addEventListener('change', () => setLang(select.value));
  onLangChange(() => {
    label.textContent = t('lang.label');
    select.value = current;
  });
  slot.replaceChildren(label, select);
}
