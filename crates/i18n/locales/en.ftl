## Navigation and frame
skip-to-content = Skip to content
nav-main = Main navigation
nav-events = Events
nav-admin = Administration
nav-login = Staff sign-in
nav-logout = Sign out
nav-language = Language
footer-text = Roadshow — online investment promotion events and investor follow-up.
footer-times = Times are shown in Beijing time (UTC+8) and in your own time zone.
back-to-events = Back to the events
error-status = Error

## Home
home-title = Investment promotion events
home-lead = Meet the competent departments, districts and industrial parks online, in your language.
home-no-events = No events are published at the moment.

## Statuses
status-draft = Draft
status-published = Open for registration
status-live = Live now
status-closed = Closed

## Event page
event-theme = Theme
event-facts = Key facts
event-focus = Focus industry
event-target = For companies from
event-languages = Languages
event-register = Register now
event-registration-closed = Registration is closed
event-add-calendar = Add to calendar (.ics)
event-video = Video link
event-when = When
event-about = About the event
event-agenda = Agenda
event-agenda-empty = The agenda will be published soon.
event-parks = Industrial parks
event-policies = Policies presented
event-stories = Success stories
park-policies = Preferential policies
policy-validity = Validity
policy-valid-from = from { $date }
policy-valid-until = until { $date }
sample-content = Sample content
sample-data = Sample data
time-beijing = Beijing time
time-beijing-short = Beijing
time-yours = your time
time-zone-choose = Show times in
time-zone-apply = Apply
session-exchange = Exchange
session-presentation = Presentation
session-speakers = Speakers
session-materials = Materials
session-parks = Parks
session-stories = Companies
material-link = link

## Benefits and kinds
benefit-tax = Tax
benefit-subsidy = Subsidy
benefit-land = Land and premises
benefit-talent = Talent
benefit-finance = Finance
benefit-market-access = Market access
department-kind-office = Office
department-kind-bureau = Bureau
department-kind-district = District government
department-kind-park = Park administration
department-kind-company = Company
department-kind-agency = Agency

## Industries
industry-smart-manufacturing = Smart manufacturing
industry-automotive = Automotive
industry-machinery = Machinery and equipment
industry-electronics = Electronics and semiconductors
industry-ict-software = ICT and software
industry-ai-robotics = AI and robotics
industry-biomedicine = Biomedicine
industry-medical-devices = Medical devices
industry-new-energy = New energy
industry-environmental-tech = Environmental technology
industry-chemicals-materials = Chemicals and materials
industry-aerospace = Aerospace
industry-finance = Finance
industry-professional-services = Professional services
industry-logistics = Logistics
industry-consumer-goods = Consumer goods
industry-education-research = Education and research
industry-other = Other

## Company sizes
size-1-9 = 1–9 employees
size-10-49 = 10–49 employees
size-50-249 = 50–249 employees
size-250-999 = 250–999 employees
size-1000plus = 1,000 employees or more

## Registration
register-title = Register
register-you = About you
register-company = Your company or institution
register-questions = A few questions from the organisers
register-privacy = Privacy
register-submit = Complete registration
privacy-notice = We use your details to organise this event, to send you its materials and to follow up your interest in investing in Beijing. You can ask us to delete them at any time.
privacy-version = Privacy notice version
form-required-note = Fields marked * are required.
form-choose = Please choose
form-none = None
form-has-errors = Please correct the following:
form-save = Save
form-cancel = Cancel
form-remove = Remove
field-name = Full name
field-email = Email address
field-job-title = Job title
field-language = Preferred language
field-company-name = Company or institution
field-country = Country
field-industry = Industry
field-size = Size
field-website = Website
field-consent = I agree that my details are used as described in the privacy notice.
field-password = Password

## Confirmation and participant page
confirm-title = You are registered
confirm-text = We have sent a confirmation with the agenda to { $email }. Keep this page's address: it is your personal link.
participant-title = Your registration
participant-registration = Your details
participant-link-title = Your personal link
participant-link-text = This address opens your registration. Do not share it.

## Sign-in
login-title = Staff sign-in
login-lead = For organisers, moderators and officials.
login-submit = Sign in
login-failed = The email address or the password is not correct.
login-rate-limited = Too many failed attempts. Please try again in { $count } seconds.

## Administration
admin-title = Administration
admin-welcome = Signed in as { $name }.
admin-new-event = New event
admin-edit-event = Edit event
admin-events = Events
admin-registrations = Registrations
admin-view-public = Public page
admin-actions = Actions
admin-departments = Departments
admin-departments-lead = The bureaus, districts, park administrations and offices that present and answer.
admin-department = Department
admin-new-department = New department
admin-edit-department = Edit department
admin-outbox = Outbox
admin-event-basics = Title and description
admin-event-when = Date, time and video
admin-event-audience = Audience
admin-add-session = Add a session
admin-session = Session
admin-delete-session = Delete this session
admin-add-speaker = Add a speaker
admin-no-speakers = No speakers yet.
admin-add-material = Add material
admin-no-materials = No materials yet.
field-title = Title
field-theme = Theme
field-description = Description
field-markdown-hint = Markdown: **bold**, lists, links.
field-slug = Address name
field-slug-hint = Lower-case letters, digits and hyphens; used in the event's address.
field-status = Status
field-starts-at = Starts
field-ends-at = Ends
field-timezone = Time zone of the event
field-timezone-hint = IANA name, e.g. Asia/Shanghai or Europe/Berlin.
field-video-url = Video link (stream or meeting)
field-focus-industries = Focus industries
field-target-countries = Target countries
field-target-countries-hint = ISO codes separated by commas, e.g. DE, AT, CH.
field-registration-questions = Registration questions (JSON)
field-registration-questions-hint = A list of questions: key, label per language, kind (text or choice), required, options.
field-session-kind = Kind
field-department = Presenting department
field-presenter = Presenter
field-presenter-hint = For presenters that are not departments, such as companies.
field-summary = Summary
field-speaker-role = Function
field-kind = Kind
field-file = File
field-file-hint = PDF, slides (PPTX, PPT, ODP) or images (PNG, JPEG, WebP), up to { $count } MB.
field-material-url = Or a link
registrations-count = { $count ->
    [one] One registration
   *[other] { $count } registrations
}
registrations-shown = { $count ->
    [one] One registration shown
   *[other] { $count } registrations shown
}
registrations-by-country = By country
registrations-by-industry = By industry
registrations-export = Export CSV
filter-search = Search
filter-all = All
filter-apply = Filter
filter-reset = Reset
csv-registered-at = Registered at
csv-consent-at = Consent given at
csv-consent-version = Privacy notice version
outbox-smtp-on = Emails are delivered through the configured SMTP server.
outbox-smtp-off = No SMTP server is configured: emails are kept here and not sent.
outbox-empty = No emails yet.
outbox-to = To
outbox-show = Show the email
email-status-pending = Waiting to be sent
email-status-sending = Being sent
email-status-sent = Sent
email-status-held = Kept in the outbox
email-status-failed = Failed

## Emails
email-subject-confirmed = Registration confirmed: { $event }
email-greeting = Dear { $name },
email-registered = thank you for registering for "{ $event }".
email-personal-link = Your personal page (keep this link to yourself):
email-ics-attached = The agenda is attached as a calendar file (.ics).
email-consent = You agreed to the privacy notice, version { $version }.

## Field errors
error-required = This field is required.
error-too-long = Please enter at most { $limit } characters.
error-too-short = Please enter at least { $limit } characters.
error-too-many = At most { $limit } are allowed.
error-invalid-email = Please enter a valid email address, such as name@company.de.
error-invalid-url = Please enter a full web address starting with https://.
error-invalid-slug = Use lower-case letters, digits and single hyphens only.
error-invalid-datetime = Please enter a date and time.
error-ends-before-start = The end must be after the start.
error-outside-event = The session must lie within the event's times.
error-consent-required = Please agree to the privacy notice to register.
error-unknown-country = Please choose a country from the list.
error-unknown-industry = Please choose an industry from the list.
error-unknown-size = Please choose a size from the list.
error-unknown-language = Please choose one of the offered languages.
error-unknown-choice = Please choose one of the offered answers.
error-unknown-question = This question is not part of the event.
error-unknown-status = Unknown status.
error-status-transition = The event cannot move to this status from its current one.
error-unknown-timezone = Unknown time zone; use a name such as Asia/Shanghai.
error-unknown-kind = Please choose a kind from the list.
error-unknown-department = Please choose a department of your agency.
error-unknown-park = Please choose parks of your agency.
error-unknown-policy = Please choose policies of your agency.
error-unknown-story = Please choose success stories of your agency.
error-unsupported-file-type = This file type is not accepted. Use PDF, PPTX, PPT, ODP, PNG, JPEG or WebP.
error-malformed-upload = The upload could not be read. Please try again.
error-file-too-large = The file is too large: at most { $limit } MB.
error-invalid-json = This is not valid JSON.
error-slug-taken = This address name is already in use.
error-email-taken = This email address already has an account.
error-already-registered = This email address is already registered for this event.
error-unique = This already exists.

## Problems (API errors and error pages)
problem-not-found = Not found
problem-not-found-help = The page or item does not exist, or you may not see it.
problem-unauthenticated = Sign-in required
problem-unauthenticated-help = Please sign in to continue.
problem-forbidden = Not allowed
problem-forbidden-help = Your role does not allow this, or the form has expired. Please reload the page and try again.
problem-already-registered = Already registered
problem-already-registered-help = This email address is already registered for this event.
problem-slug-taken = Address name taken
problem-slug-taken-help = Choose another address name.
problem-email-taken = Email taken
problem-email-taken-help = This email address already has an account.
problem-unique = Already exists
problem-unique-help = This already exists.
problem-invalid = Invalid input
problem-invalid-help = Some fields are not valid.
problem-rate-limited = Too many requests
problem-rate-limited-help = Please wait a moment and try again.
problem-registration-closed = Registration closed
problem-registration-closed-help = This event does not take registrations any more.
problem-too-large = Too large
problem-too-large-help = The file or request is too large.
problem-internal = Something went wrong
problem-internal-help = We could not complete this. Please try again later; nothing you saved before is lost.
problem-body-too-large = Request too large
problem-body-too-large-help = The request body exceeds the allowed size.
problem-cross-origin = Request from another site
problem-cross-origin-help = Forms can only be sent from this site.
problem-invalid-json-data = Wrong JSON fields
problem-invalid-json-data-help = The JSON body does not have the expected fields and types.
problem-json-required = JSON required
problem-json-required-help = Send the body as application/json.
problem-malformed-json = Malformed JSON
problem-malformed-json-help = The request body is not valid JSON.
problem-multipart-required = Upload form required
problem-multipart-required-help = Send the file as multipart/form-data.
problem-bad-request = Bad request
problem-bad-request-help = The request could not be read.
