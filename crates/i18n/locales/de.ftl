## Navigation und Rahmen
skip-to-content = Zum Inhalt springen
nav-main = Hauptnavigation
nav-events = Veranstaltungen
nav-admin = Verwaltung
nav-login = Anmeldung für Mitarbeitende
nav-logout = Abmelden
nav-language = Sprache
footer-text = Roadshow — Online-Investitionsförderung und Betreuung von Investoren.
footer-times = Zeiten werden in Pekinger Zeit (UTC+8) und in Ihrer eigenen Zeitzone angezeigt.
back-to-events = Zurück zu den Veranstaltungen
error-status = Fehler

## Startseite
home-title = Investitionsförderungs-Veranstaltungen
home-lead = Lernen Sie die zuständigen Behörden, Bezirke und Industrieparks online kennen – in Ihrer Sprache.
home-no-events = Zurzeit sind keine Veranstaltungen veröffentlicht.

## Status
status-draft = Entwurf
status-published = Anmeldung offen
status-live = Jetzt live
status-closed = Abgeschlossen

## Veranstaltungsseite
event-theme = Thema
event-facts = Eckdaten
event-focus = Schwerpunktbranche
event-target = Für Unternehmen aus
event-languages = Sprachen
event-register = Jetzt anmelden
event-registration-closed = Die Anmeldung ist geschlossen
event-add-calendar = Zum Kalender hinzufügen (.ics)
event-video = Videolink
event-when = Wann
event-about = Über die Veranstaltung
event-agenda = Programm
event-agenda-empty = Das Programm wird in Kürze veröffentlicht.
event-parks = Industrieparks
event-policies = Vorgestellte Politik
event-stories = Erfolgsgeschichten
park-policies = Vorzugspolitik
policy-validity = Gültigkeit
policy-valid-from = ab { $date }
policy-valid-until = bis { $date }
sample-content = Beispielinhalt
sample-data = Musterdaten
time-beijing = Pekinger Zeit
time-beijing-short = Peking
time-yours = Ihre Zeit
time-zone-choose = Zeiten anzeigen in
time-zone-apply = Übernehmen
session-exchange = Austausch
session-presentation = Vortrag
session-speakers = Sprecherinnen und Sprecher
session-materials = Unterlagen
session-parks = Parks
session-stories = Unternehmen
material-link = Link

## Leistungen und Arten
benefit-tax = Steuern
benefit-subsidy = Zuschuss
benefit-land = Flächen und Räume
benefit-talent = Fachkräfte
benefit-finance = Finanzierung
benefit-market-access = Marktzugang
department-kind-office = Büro
department-kind-bureau = Behörde
department-kind-district = Bezirksregierung
department-kind-park = Parkverwaltung
department-kind-company = Unternehmen
department-kind-agency = Agentur

## Branchen
industry-smart-manufacturing = Intelligente Fertigung
industry-automotive = Automobil
industry-machinery = Maschinen- und Anlagenbau
industry-electronics = Elektronik und Halbleiter
industry-ict-software = IKT und Software
industry-ai-robotics = KI und Robotik
industry-biomedicine = Biomedizin
industry-medical-devices = Medizintechnik
industry-new-energy = Neue Energien
industry-environmental-tech = Umwelttechnik
industry-chemicals-materials = Chemie und Werkstoffe
industry-aerospace = Luft- und Raumfahrt
industry-finance = Finanzen
industry-professional-services = Unternehmensdienstleistungen
industry-logistics = Logistik
industry-consumer-goods = Konsumgüter
industry-education-research = Bildung und Forschung
industry-other = Sonstige

## Unternehmensgrößen
size-1-9 = 1–9 Beschäftigte
size-10-49 = 10–49 Beschäftigte
size-50-249 = 50–249 Beschäftigte
size-250-999 = 250–999 Beschäftigte
size-1000plus = 1.000 Beschäftigte oder mehr

## Anmeldung
register-title = Anmeldung
register-you = Zu Ihrer Person
register-company = Ihr Unternehmen oder Ihre Institution
register-questions = Einige Fragen der Veranstalter
register-privacy = Datenschutz
register-submit = Anmeldung abschließen
privacy-notice = Wir verwenden Ihre Angaben, um diese Veranstaltung durchzuführen, Ihnen die Unterlagen zu senden und Ihr Interesse an Investitionen in Peking weiterzuverfolgen. Sie können jederzeit die Löschung verlangen.
privacy-version = Version der Datenschutzerklärung
form-required-note = Mit * gekennzeichnete Felder sind Pflichtfelder.
form-choose = Bitte wählen
form-none = Keine
form-has-errors = Bitte korrigieren Sie Folgendes:
form-save = Speichern
form-cancel = Abbrechen
form-remove = Entfernen
field-name = Vollständiger Name
field-email = E-Mail-Adresse
field-job-title = Funktion
field-language = Bevorzugte Sprache
field-company-name = Unternehmen oder Institution
field-country = Land
field-industry = Branche
field-size = Größe
field-website = Website
field-consent = Ich bin einverstanden, dass meine Angaben wie in der Datenschutzerklärung beschrieben verwendet werden.
field-password = Passwort

## Bestätigung und Teilnehmerseite
confirm-title = Sie sind angemeldet
confirm-text = Wir haben eine Bestätigung mit dem Programm an { $email } gesendet. Bewahren Sie die Adresse dieser Seite auf: Es ist Ihr persönlicher Link.
participant-title = Ihre Anmeldung
participant-registration = Ihre Angaben
participant-link-title = Ihr persönlicher Link
participant-link-text = Diese Adresse öffnet Ihre Anmeldung. Geben Sie sie nicht weiter.

## Anmeldung für Mitarbeitende
login-title = Anmeldung für Mitarbeitende
login-lead = Für Veranstalter, Moderation und Behördenvertreter.
login-submit = Anmelden
login-failed = Die E-Mail-Adresse oder das Passwort ist nicht korrekt.
login-rate-limited = Zu viele Fehlversuche. Bitte versuchen Sie es in { $count } Sekunden erneut.

## Verwaltung
admin-title = Verwaltung
admin-welcome = Angemeldet als { $name }.
admin-new-event = Neue Veranstaltung
admin-edit-event = Veranstaltung bearbeiten
admin-events = Veranstaltungen
admin-registrations = Anmeldungen
admin-view-public = Öffentliche Seite
admin-actions = Aktionen
admin-departments = Behörden
admin-departments-lead = Die Behörden, Bezirke, Parkverwaltungen und Büros, die präsentieren und antworten.
admin-department = Behörde
admin-new-department = Neue Behörde
admin-edit-department = Behörde bearbeiten
admin-outbox = Postausgang
admin-event-basics = Titel und Beschreibung
admin-event-when = Datum, Uhrzeit und Video
admin-event-audience = Zielgruppe
admin-add-session = Programmpunkt hinzufügen
admin-session = Programmpunkt
admin-delete-session = Diesen Programmpunkt löschen
admin-add-speaker = Sprecher/in hinzufügen
admin-no-speakers = Noch keine Sprecherinnen oder Sprecher.
admin-add-material = Unterlage hinzufügen
admin-no-materials = Noch keine Unterlagen.
field-title = Titel
field-theme = Thema
field-description = Beschreibung
field-markdown-hint = Markdown: **fett**, Listen, Links.
field-slug = Adressname
field-slug-hint = Kleinbuchstaben, Ziffern und Bindestriche; Teil der Adresse der Veranstaltung.
field-status = Status
field-starts-at = Beginn
field-ends-at = Ende
field-timezone = Zeitzone der Veranstaltung
field-timezone-hint = IANA-Name, z. B. Asia/Shanghai oder Europe/Berlin.
field-video-url = Videolink (Stream oder Meeting)
field-focus-industries = Schwerpunktbranchen
field-target-countries = Zielländer
field-target-countries-hint = ISO-Codes durch Kommas getrennt, z. B. DE, AT, CH.
field-registration-questions = Anmeldefragen (JSON)
field-registration-questions-hint = Eine Liste von Fragen: key, label je Sprache, kind (text oder choice), required, options.
field-session-kind = Art
field-department = Präsentierende Behörde
field-presenter = Präsentiert von
field-presenter-hint = Für Präsentierende, die keine Behörde sind, etwa Unternehmen.
field-summary = Zusammenfassung
field-speaker-role = Funktion
field-kind = Art
field-file = Datei
field-file-hint = PDF, Folien (PPTX, PPT, ODP) oder Bilder (PNG, JPEG, WebP), bis { $count } MB.
field-material-url = Oder ein Link
registrations-count = { $count ->
    [one] Eine Anmeldung
   *[other] { $count } Anmeldungen
}
registrations-shown = { $count ->
    [one] Eine Anmeldung angezeigt
   *[other] { $count } Anmeldungen angezeigt
}
registrations-by-country = Nach Land
registrations-by-industry = Nach Branche
registrations-export = CSV exportieren
filter-search = Suche
filter-all = Alle
filter-apply = Filtern
filter-reset = Zurücksetzen
csv-registered-at = Angemeldet am
csv-consent-at = Einwilligung am
csv-consent-version = Version der Datenschutzerklärung
outbox-smtp-on = E-Mails werden über den eingerichteten SMTP-Server zugestellt.
outbox-smtp-off = Kein SMTP-Server eingerichtet: E-Mails werden hier aufbewahrt und nicht versendet.
outbox-empty = Noch keine E-Mails.
outbox-to = An
outbox-show = E-Mail anzeigen
email-status-pending = Wartet auf Versand
email-status-sending = Wird versendet
email-status-sent = Versendet
email-status-held = Im Postausgang aufbewahrt
email-status-failed = Fehlgeschlagen

## E-Mails
email-subject-confirmed = Anmeldung bestätigt: { $event }
email-greeting = Guten Tag { $name },
email-registered = vielen Dank für Ihre Anmeldung zu „{ $event }“.
email-personal-link = Ihre persönliche Seite (bitte nicht weitergeben):
email-ics-attached = Das Programm ist als Kalenderdatei (.ics) angehängt.
email-consent = Sie haben der Datenschutzerklärung in der Version { $version } zugestimmt.

## Feldfehler
error-required = Dieses Feld ist erforderlich.
error-too-long = Bitte höchstens { $limit } Zeichen eingeben.
error-too-short = Bitte mindestens { $limit } Zeichen eingeben.
error-too-many = Höchstens { $limit } sind erlaubt.
error-invalid-email = Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@firma.de.
error-invalid-url = Bitte geben Sie eine vollständige Webadresse ein, die mit https:// beginnt.
error-invalid-slug = Nur Kleinbuchstaben, Ziffern und einzelne Bindestriche verwenden.
error-invalid-datetime = Bitte geben Sie Datum und Uhrzeit ein.
error-ends-before-start = Das Ende muss nach dem Beginn liegen.
error-outside-event = Der Programmpunkt muss innerhalb der Veranstaltungszeit liegen.
error-consent-required = Bitte stimmen Sie der Datenschutzerklärung zu, um sich anzumelden.
error-unknown-country = Bitte wählen Sie ein Land aus der Liste.
error-unknown-industry = Bitte wählen Sie eine Branche aus der Liste.
error-unknown-size = Bitte wählen Sie eine Größe aus der Liste.
error-unknown-language = Bitte wählen Sie eine der angebotenen Sprachen.
error-unknown-choice = Bitte wählen Sie eine der angebotenen Antworten.
error-unknown-question = Diese Frage gehört nicht zur Veranstaltung.
error-unknown-status = Unbekannter Status.
error-status-transition = Die Veranstaltung kann von ihrem aktuellen Status nicht in diesen wechseln.
error-unknown-timezone = Unbekannte Zeitzone; verwenden Sie einen Namen wie Asia/Shanghai.
error-unknown-kind = Bitte wählen Sie eine Art aus der Liste.
error-unknown-department = Bitte wählen Sie eine Behörde Ihrer Agentur.
error-unknown-park = Bitte wählen Sie Parks Ihrer Agentur.
error-unknown-policy = Bitte wählen Sie Politiken Ihrer Agentur.
error-unknown-story = Bitte wählen Sie Erfolgsgeschichten Ihrer Agentur.
error-unsupported-file-type = Dieser Dateityp wird nicht akzeptiert. Verwenden Sie PDF, PPTX, PPT, ODP, PNG, JPEG oder WebP.
error-malformed-upload = Der Upload konnte nicht gelesen werden. Bitte erneut versuchen.
error-file-too-large = Die Datei ist zu groß: höchstens { $limit } MB.
error-invalid-json = Das ist kein gültiges JSON.
error-slug-taken = Dieser Adressname ist bereits vergeben.
error-email-taken = Für diese E-Mail-Adresse gibt es bereits ein Konto.
error-already-registered = Diese E-Mail-Adresse ist für diese Veranstaltung bereits angemeldet.
error-unique = Das gibt es bereits.

## Probleme (API-Fehler und Fehlerseiten)
problem-not-found = Nicht gefunden
problem-not-found-help = Die Seite oder der Eintrag existiert nicht, oder Sie dürfen sie nicht sehen.
problem-unauthenticated = Anmeldung erforderlich
problem-unauthenticated-help = Bitte melden Sie sich an, um fortzufahren.
problem-forbidden = Nicht erlaubt
problem-forbidden-help = Ihre Rolle erlaubt dies nicht, oder das Formular ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es erneut.
problem-already-registered = Bereits angemeldet
problem-already-registered-help = Diese E-Mail-Adresse ist für diese Veranstaltung bereits angemeldet.
problem-slug-taken = Adressname vergeben
problem-slug-taken-help = Wählen Sie einen anderen Adressnamen.
problem-email-taken = E-Mail vergeben
problem-email-taken-help = Für diese E-Mail-Adresse gibt es bereits ein Konto.
problem-unique = Bereits vorhanden
problem-unique-help = Das gibt es bereits.
problem-invalid = Ungültige Eingabe
problem-invalid-help = Einige Felder sind nicht gültig.
problem-rate-limited = Zu viele Anfragen
problem-rate-limited-help = Bitte warten Sie einen Moment und versuchen Sie es erneut.
problem-registration-closed = Anmeldung geschlossen
problem-registration-closed-help = Für diese Veranstaltung sind keine Anmeldungen mehr möglich.
problem-too-large = Zu groß
problem-too-large-help = Die Datei oder Anfrage ist zu groß.
problem-internal = Etwas ist schiefgelaufen
problem-internal-help = Der Vorgang konnte nicht abgeschlossen werden. Bitte später erneut versuchen; bereits Gespeichertes bleibt erhalten.
problem-body-too-large = Anfrage zu groß
problem-body-too-large-help = Der Inhalt der Anfrage überschreitet die erlaubte Größe.
problem-cross-origin = Anfrage von einer anderen Website
problem-cross-origin-help = Formulare können nur von dieser Website gesendet werden.
problem-invalid-json-data = Falsche JSON-Felder
problem-invalid-json-data-help = Der JSON-Inhalt hat nicht die erwarteten Felder und Typen.
problem-json-required = JSON erforderlich
problem-json-required-help = Senden Sie den Inhalt als application/json.
problem-malformed-json = Fehlerhaftes JSON
problem-malformed-json-help = Der Inhalt der Anfrage ist kein gültiges JSON.
problem-multipart-required = Upload-Formular erforderlich
problem-multipart-required-help = Senden Sie die Datei als multipart/form-data.
problem-bad-request = Fehlerhafte Anfrage
problem-bad-request-help = Die Anfrage konnte nicht gelesen werden.
