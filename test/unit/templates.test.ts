import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../../lib/paths';
import { htmlToText, loadTemplates, renderMail } from '../../lib/templates';
import { application } from '../support/fixtures';

const templates = loadTemplates();
const CASE_ID = 'REJ-2026-000123';
const PUBLIC_URL = 'http://127.0.0.1:3000';
const EXPIRES_AT = '2026-03-31T10:00:00.000Z'; // 12:00 in Warsaw (CEST)
// A generated temporary password may hold any of !@#$%&*?-_+= — several are HTML-escaped by Handlebars.
const PASSWORD = 'Qw3&=Er7?-Ty_+';

/** The data the activities pass: activities/mail.ts spreads vars over { case, application, publicUrl }. */
const base = (app = application()) => ({ case: { id: CASE_ID }, application: app, publicUrl: PUBLIC_URL });

const POLISH = /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/;

/** What activities/permissions.ts passes: the recipient (here the requester), the requester, unit and target. */
const PERMISSION = {
  recipient: { firstName: 'Łucja', lastName: 'Żółkiewska' },
  requester: { firstName: 'Jan', lastName: 'Wiśniewski', login: 'jwisniewski' },
  unit: { code: '2661011', name: 'Kielce (gmina miejska)' },
  target: { unitCode: '2661011', area: 'SR' },
  caseUrl: `${PUBLIC_URL}/api/cases/${CASE_ID}`,
};

const ACCOUNT = { account: { firstName: 'Łucja', lastName: 'Żółkiewska' }, login: 'lzolkiewska' };

/** caseFooter false: account mails (passwords) belong to no case. */
const mails: { name: string; vars: Record<string, unknown>; subject: RegExp; body: (string | RegExp)[]; caseFooter?: false }[] = [
  {
    name: 'registration-instructions',
    vars: {},
    subject: /^Formularz rejestracyjny do podpisu — Miejski Ośrodek Pomocy Rodzinie w Kielcach$/,
    body: ['rejestrację jednostki i użytkownika', 'wydrukuj formularz', 'kierownikowi jednostki', 'ePUAP'],
  },
  {
    name: 'registration-reminder',
    vars: { reminderNumber: 2, expiresAt: EXPIRES_AT },
    subject: /^Przypomnienie: czekamy na podpisany formularz — Miejski Ośrodek Pomocy Rodzinie w Kielcach$/,
    body: ['(przypomnienie nr 2)', /31 marca 2026\D+12:00/, 'wniosek wygaśnie'],
  },
  {
    name: 'registration-rejected',
    vars: { reason: 'Brak podpisu kierownika jednostki; pieczęć nieczytelna' },
    subject: /^Wniosek rejestracyjny wymaga poprawy — Miejski Ośrodek Pomocy Rodzinie w Kielcach$/,
    body: ['Powód: Brak podpisu kierownika jednostki; pieczęć nieczytelna', 'poprawiony skan'],
  },
  {
    name: 'registration-expired',
    vars: {},
    subject: /^Wniosek rejestracyjny wygasł — Miejski Ośrodek Pomocy Rodzinie w Kielcach$/,
    body: ['wygasł', 'złóż wniosek ponownie'],
  },
  {
    name: 'account-created',
    vars: { login: 'lzolkiewska', password: PASSWORD },
    subject: /^Konto w Centralnej Aplikacji Statystycznej zostało utworzone$/,
    body: ['Login: lzolkiewska', `Hasło tymczasowe: ${PASSWORD}`, 'obszarów: PS, SR', 'zmianę hasła tymczasowego'],
  },
  {
    name: 'permission-reminder',
    vars: { ...PERMISSION, reminderNumber: 2, expiresAt: EXPIRES_AT, justification: 'Zastępstwo za osobę na urlopie' },
    subject: /^Przypomnienie: wniosek o rozszerzenie uprawnień czeka na decyzję — Kielce \(gmina miejska\)$/,
    body: ['(przypomnienie nr 2)', 'Wnioskodawca: Jan Wiśniewski (login jwisniewski)', 'Obszar sprawozdawczy: SR', 'kod TERYT 2661011', 'Uzasadnienie wnioskodawcy: Zastępstwo za osobę na urlopie', /31 marca 2026\D+12:00/, 'wniosek wygaśnie', `Sprawa: ${PUBLIC_URL}/api/cases/`],
  },
  {
    name: 'permission-granted',
    vars: { ...PERMISSION },
    subject: /^Rozszerzenie uprawnień przyznane: obszar SR — Kielce \(gmina miejska\)$/,
    body: ['zaakceptował', 'Uprawnienia zostały nadane', 'obszar sprawozdawczy SR w jednostce Kielce (gmina miejska) (kod TERYT 2661011)'],
  },
  {
    name: 'permission-rejected',
    vars: { ...PERMISSION, reason: 'Jednostka nie realizuje zadań w obszarze SR' },
    subject: /^Wniosek o rozszerzenie uprawnień odrzucony — Kielce \(gmina miejska\)$/,
    body: ['odrzucił wniosek o rozszerzenie uprawnień', 'Powód: Jednostka nie realizuje zadań w obszarze SR', 'nowy wniosek'],
  },
  {
    name: 'permission-expired',
    vars: { ...PERMISSION, expireAfterDays: 14 },
    subject: /^Wniosek o rozszerzenie uprawnień wygasł — Kielce \(gmina miejska\)$/,
    body: ['wygasł', 'w ciągu 14 dni', 'Uprawnienia nie zostały nadane', 'złóż wniosek ponownie'],
  },
  {
    name: 'password-reminder',
    vars: { ...ACCOUNT, password: PASSWORD },
    subject: /^Nowe hasło tymczasowe do systemu obieg$/,
    body: ['konta lzolkiewska', `Hasło tymczasowe: ${PASSWORD}`, 'odblokowane'],
    caseFooter: false,
  },
  {
    name: 'password-reminder-link',
    vars: { ...ACCOUNT, link: 'https://obieg.example/haslo/przypomnienie?token=abc', minutes: 60 },
    subject: /^Przypomnienie hasła do systemu obieg$/,
    body: ['konta lzolkiewska', 'Dotychczasowe hasło nadal działa', 'https://obieg.example/haslo/przypomnienie?token=abc', '60 minut', 'nic się nie zmieni'],
    caseFooter: false,
  },
  {
    name: 'password-expiry-reminder',
    vars: { ...ACCOUNT, daysLeft: 3, expiresAt: EXPIRES_AT },
    subject: /^Hasło wygaśnie za 3 dni$/,
    body: [/31 marca 2026\D+12:00/, 'co 30 dni'],
    caseFooter: false,
  },
  {
    name: 'password-expired',
    vars: { ...ACCOUNT },
    subject: /^Hasło wygasło — zmień je przy następnym logowaniu$/,
    body: ['ma już 30 dni', 'poprosi o ustawienie'],
    caseFooter: false,
  },
  // activities/identity-merge.ts passes the recipient account and the case data as `merge`.
  {
    name: 'identity-merge-confirm',
    vars: { ...ACCOUNT, merge: { survivorLogin: 'lzolkiewska', otherLogin: 'lzolkiewska2' }, expiresAt: EXPIRES_AT },
    subject: /^Potwierdź scalenie kont: lzolkiewska2 → lzolkiewska$/,
    body: ['Twojego konta lzolkiewska2', 'zaloguj się jako lzolkiewska2', /31 marca 2026\D+12:00/, 'wniosek wygaśnie', 'nie potwierdzaj go'],
  },
  {
    name: 'identity-merge-expired',
    vars: { ...ACCOUNT, merge: { survivorLogin: 'lzolkiewska', otherLogin: 'lzolkiewska2' } },
    subject: /^Wniosek o scalenie kont wygasł: lzolkiewska2 → lzolkiewska$/,
    body: ['wygasł', 'nie potwierdziło scalenia', 'Oba konta działają bez zmian', 'złóż wniosek ponownie'],
  },
  {
    name: 'identity-merge-rejected',
    vars: { ...ACCOUNT, merge: { survivorLogin: 'lzolkiewska', otherLogin: 'lzolkiewska2' }, reason: 'Konta należą do różnych osób' },
    subject: /^Wniosek o scalenie kont został odrzucony: lzolkiewska2 → lzolkiewska$/,
    body: ['nie został zrealizowany', 'Powód: Konta należą do różnych osób', 'Oba konta działają bez zmian'],
  },
  {
    name: 'identity-merge-completed',
    vars: { ...ACCOUNT, merge: { survivorLogin: 'lzolkiewska', otherLogin: 'lzolkiewska2' } },
    subject: /^Konta zostały scalone: lzolkiewska2 → lzolkiewska$/,
    body: ['zatwierdził scalenie', 'loguj się wyłącznie jako lzolkiewska', 'tokeny dostępu unieważnione'],
  },
  // activities/reports.ts: one template for reminders, escalations and returns, chosen by kind.
  {
    name: 'report-notice',
    vars: { ...PERMISSION, kind: 'reminder', formCode: 'MRPiPS-03', formName: 'Sprawozdanie z udzielonych świadczeń', period: '2026-Q1', dueDate: '2026-05-04', workingDaysBefore: 3 },
    subject: /^Przypomnienie: zbliża się termin sprawozdania MRPiPS-03 — 4 maja 2026 — Kielce \(gmina miejska\)$/,
    body: ['za okres 2026-Q1', 'za 3 dni robocze', 'kod TERYT 2661011'],
  },
  // activities/csizs.ts, seed 004: the package as a password-protected ZIP (its password goes by phone) and the voivodeship's question to the head.
  {
    name: 'csizs-package',
    vars: { unitName: 'Miejski Ośrodek Pomocy Rodzinie w Kielcach', localAdmin: { firstName: 'Łucja', lastName: 'Żółkiewska' } },
    subject: /^Pakiet informacji do podłączenia do CSIZS — Miejski Ośrodek Pomocy Rodzinie w Kielcach$/,
    body: ['archiwum ZIP zaszyfrowanym (AES-256) i zabezpieczonym hasłem', 'Hasło przekaże telefonicznie administrator wojewódzki', '7-Zip', 'wpisz hasło podane przez telefon', 'zmień hasło tymczasowe'],
  },
  {
    name: 'csizs-clarification',
    vars: { unitName: 'Miejski Ośrodek Pomocy Rodzinie w Kielcach', head: { firstName: 'Łucja', lastName: 'Żółkiewska' }, question: 'Proszę podać służbowy adres e-mail administratora lokalnego' },
    subject: /^Prośba o wyjaśnienie danych zgłoszenia podłączenia do CSIZS — Miejski Ośrodek Pomocy Rodzinie w Kielcach$/,
    body: ['ma wątpliwości', 'Proszę podać służbowy adres e-mail administratora lokalnego', 'Wyjaśnienie danych zgłoszenia'],
  },
  // activities/attention.ts (issue 14 item 2): the operator hears of a case that needs intervention; the reason carries no personal data.
  {
    name: 'operator-attention',
    vars: { case: { id: CASE_ID }, operatorName: 'Łucja Żółkiewska', workflowId: CASE_ID, reason: 'Krok „openCase” zatrzymany: dane sprawy nie dają się zapisać (niedozwolone znaki lub wartości); ponawianie nie pomoże', link: `${PUBLIC_URL}/api/cases/${CASE_ID}` },
    subject: new RegExp(`^Sprawa wymaga interwencji \\(błąd przetwarzania\\): ${CASE_ID}$`),
    body: ['wymaga interwencji operatora', 'Powód: Krok „openCase” zatrzymany', `${PUBLIC_URL}/api/cases/${CASE_ID}`],
  },
  // activities/data-requests.ts: a report's data request to a department or external unit, and its reminder.
  {
    name: 'report-data-request',
    vars: { case: { id: CASE_ID }, publicUrl: PUBLIC_URL, kind: 'reminder', recipientName: 'Łucja Żółkiewska', subject: 'Wydatki na zasiłki okresowe w I kwartale', dueDate: '2026-04-10', requestedBy: 'jkowalska', formCode: 'MRPiPS-03', formName: 'Sprawozdanie z udzielonych świadczeń', period: '2026-Q1', unitName: 'Kielce (gmina miejska)' },
    subject: /^Przypomnienie: Prośba o dane do sprawozdania MRPiPS-03 — termin 10 kwietnia 2026$/,
    body: ['Wydatki na zasiłki okresowe w I kwartale', 'za okres 2026-Q1', 'osoba kontaktowa: jkowalska', 'Kielce (gmina miejska)'],
  },
];

describe('mail templates', () => {
  it('has a row here for every template under templates/mail', () => {
    const files = readdirSync(join(TEMPLATES_DIR, 'mail'))
      .filter((f) => f.endsWith('.hbs'))
      .map((f) => f.replace(/\.hbs$/, ''));
    expect(files.length).toBeGreaterThan(0);
    expect(mails.map((m) => m.name).sort()).toEqual(files.sort());
    for (const f of files) expect(templates.has(`mail/${f}`)).toBe(true);
  });

  describe.each(mails)('$name', ({ name, vars, subject, body, caseFooter }) => {
    const mail = renderMail(templates, name, { ...base(), ...vars });

    it('has a non-empty Polish subject taken from the "Temat:" line', () => {
      expect(mail.subject).toMatch(subject);
      expect(mail.subject).toMatch(POLISH);
      expect(mail.subject).not.toMatch(/Temat:|\n|<|&\w+;|&#/);
    });

    it('addresses the applicant with Polish diacritics intact, in text and HTML', () => {
      expect(mail.text).toMatch(/^Dzień dobry Łucja Żółkiewska,/);
      expect(mail.html).toContain('Dzień dobry Łucja Żółkiewska,');
      // Letters are not entity-encoded; only the ASCII punctuation Handlebars escapes may be.
      const numeric = mail.html.match(/&#x?[0-9a-f]+;/gi) ?? [];
      expect(numeric.filter((e) => !['&#x27;', '&#x3D;', '&#x60;'].includes(e))).toEqual([]);
      expect(mail.text).toMatch(POLISH);
    });

    it('fills every placeholder', () => {
      for (const out of [mail.subject, mail.html, mail.text]) {
        expect(out).not.toContain('{{');
        expect(out).not.toContain('}}');
        expect(out).not.toMatch(/undefined|\[object Object\]/);
      }
    });

    it('says what this mail is about', () => {
      for (const part of body) {
        if (typeof part === 'string') expect(mail.text).toContain(part);
        else expect(mail.text).toMatch(part);
      }
    });

    it('ends with the footer (naming the case, for case mail)', () => {
      if (caseFooter !== false) expect(mail.text).toContain(`Numer sprawy: ${CASE_ID}`);
      expect(mail.text).toContain('prosimy na nią nie odpowiadać');
    });

    it('has a text part without HTML', () => {
      expect(mail.text).not.toMatch(/<\/?[a-z][^>]*>/i);
      expect(mail.text).not.toMatch(/&(amp|lt|gt|quot|nbsp|#x?[0-9a-f]+);/i);
      expect(mail.text).not.toMatch(/\n{3,}/);
      expect(mail.text).toBe(mail.text.trim());
    });
  });

  it('instructions for a user of an already registered unit do not speak of registering the unit', () => {
    const mail = renderMail(templates, 'registration-instructions', base({ ...application(), registerUnit: false }));
    expect(mail.text).toContain('rejestrację użytkownika');
    expect(mail.text).not.toContain('rejestrację jednostki');
  });

  it('escapes applicant-provided text in HTML but shows it verbatim in subject and text', () => {
    const app = application({ firstName: 'Anna <b>', lastName: "O'Neill" });
    app.unit.name = 'GOPS "Przystań" & Partnerzy';
    const mail = renderMail(templates, 'registration-expired', base(app));
    expect(mail.html).toContain('GOPS &quot;Przystań&quot; &amp; Partnerzy');
    expect(mail.html).not.toContain('<b>');
    expect(mail.subject).toBe('Wniosek rejestracyjny wygasł — GOPS "Przystań" & Partnerzy');
    expect(mail.text).toContain("Dzień dobry Anna <b> O'Neill,");
    expect(mail.text).toContain('GOPS "Przystań" & Partnerzy');
  });

  it('renders a missing date as a dash rather than "Invalid Date"', () => {
    const mail = renderMail(templates, 'registration-reminder', { ...base(), reminderNumber: 1 });
    expect(mail.text).toContain('do —');
    expect(mail.text).not.toMatch(/Invalid/);
  });

  it('refuses a template name that does not exist', () => {
    expect(() => renderMail(templates, 'no-such-mail', base())).toThrow('no template mail/no-such-mail');
  });
});

describe('htmlToText', () => {
  it.each([
    ['<br> variants', 'a<br>b<br/>c<br />d<BR>e', 'a\nb\nc\nd\ne'],
    ['</p> ends a line', '<p>pierwszy</p><p>drugi</p>', 'pierwszy\ndrugi'],
    ['</div>, </h1>, </tr> end a line', '<h1>Tytuł</h1><div>treść</div><table><tr><td>x</td></tr></table>', 'Tytuł\ntreść\nx'],
    ['list items get bullets', '<ol><li>wydrukuj</li><li>podpisz</li></ol>', '• wydrukuj\n• podpisz'],
    ['&amp; decodes to &', 'Kowalski &amp; Syn', 'Kowalski & Syn'],
    ['entities Handlebars writes', '&lt;&gt;&quot;&#x27;&#39;&#x3D;&#x60;&nbsp;!', '<>"\'\'=` !'],
    ['decoding happens once', '&amp;lt;b&amp;gt; &amp;amp;', '&lt;b&gt; &amp;'],
    ['tags are dropped, attributes too', '<p style="color:#555">Numer <strong>sprawy</strong></p>', 'Numer sprawy'],
    ['<style> blocks are dropped with their content', '<style>p { color: red }</style><p>treść</p>', 'treść'],
    ['trailing spaces before a newline go', '<p>a   </p>  \n<p>b</p>', 'a\n\nb'],
    ['at most one blank line', '<p>a</p><br><br><br><br><p>b</p>', 'a\n\nb'],
    ['Polish letters pass through', '<p>Zażółć gęślą jaźń</p>', 'Zażółć gęślą jaźń'],
    ['surrounding whitespace is trimmed', '\n  <p>x</p>\n\n', 'x'],
  ])('%s', (_title, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});
