// seed 003 (003_ac9166c2b11efdcf.txt, pkt 12 and UWAGI): the office's letters reach the unit's contact box
// ("informacje z urzędu o stanie załatwienia sprawy, pisma pośrednie, … odpowiedź/decyzję"), and
// "Rozpakowanie paczki otrzymanej z urzędu również wymaga użycia podpisu elektronicznego, w ten sposób urząd
// otrzymuje elektroniczne poświadczenie odbioru pisma". In obieg a letter is a mail the office (or, for a
// data request, the reporting unit) sends about a case; its addressee's first opening in obieg is confirmed
// to the sender with the date and time (urzędowe poświadczenie doręczenia, UPD). Reminders and notices of
// the system's own are not letters.

/** The kinds of letters, in Polish as the sender reads them. */
export const LETTER_KIND_LABELS = {
  decision: 'Rozstrzygnięcie wniosku',
  'report-return': 'Zwrot sprawozdania do korekty',
  'csizs-package': 'Pakiet informacji CSIZS (Załącznik 3)',
  'csizs-clarification': 'Prośba o wyjaśnienia do zgłoszenia CSIZS',
  'data-request': 'Wezwanie do przekazania danych do sprawozdania',
} as const;
export type LetterKind = keyof typeof LETTER_KIND_LABELS;

const BY_TEMPLATE: Record<string, LetterKind> = {
  'registration-rejected': 'decision',
  'account-created': 'decision',
  'permission-granted': 'decision',
  'permission-rejected': 'decision',
  'csizs-package': 'csizs-package',
  'csizs-clarification': 'csizs-clarification',
  'report-data-request': 'data-request',
};

/** Whether a mail of this template (and, for a report notice, this kind of notice) is a letter. */
export function letterKindOf(template: string, noticeKind?: unknown): LetterKind | null {
  if (template === 'report-notice') return noticeKind === 'returned' ? 'report-return' : null;
  // A reminder of a data request repeats the letter already sent; it is not a letter of its own.
  if (template === 'report-data-request' && noticeKind === 'reminder') return null;
  return BY_TEMPLATE[template] ?? null;
}

/** Who is looking at a letter, as far as the opening rule needs it. */
export interface LetterViewer {
  /** The signed-in person's registered address; null without a session or token. */
  email: string | null;
  /** The signed-in person may see the letter's case (the sender's side, or a party of the case). */
  mayViewCase: boolean;
  /** The mail's link key came with the request and is the letter's. */
  linkKeyValid: boolean;
}

/**
 * What opening a letter does: 'record' when its addressee opens it (signed in with the address it went to,
 * or through the mail's link without signing in as somebody else); 'view' for others who may see it (the
 * sender never confirms a delivery on the addressee's behalf); 'refuse' otherwise.
 */
export function openingDecision(addresseeEmail: string, v: LetterViewer): 'record' | 'view' | 'refuse' {
  const addressee = v.email !== null && v.email.trim().toLowerCase() === addresseeEmail.trim().toLowerCase();
  if (addressee) return 'record';
  if (v.email === null && v.linkKeyValid) return 'record';
  if (v.mayViewCase || v.linkKeyValid) return 'view';
  return 'refuse';
}

/** How the addressee opened a letter, as the sender and the confirmation read it. */
export const LETTER_OPENED_VIA_LABELS: Record<string, string> = {
  session: 'po zalogowaniu w systemie obieg',
  token: 'przez API systemu obieg (token osobisty)',
  link: 'odnośnikiem z wiadomości e-mail',
};
export const openedViaLabel = (via: string): string => LETTER_OPENED_VIA_LABELS[via] ?? via;
