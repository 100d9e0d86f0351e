## Navigation et cadre
skip-to-content = Aller au contenu
nav-main = Navigation principale
nav-events = Événements
nav-admin = Administration
nav-login = Connexion du personnel
nav-logout = Se déconnecter
nav-language = Langue
footer-text = Roadshow — événements de promotion des investissements en ligne et suivi des investisseurs.
footer-times = Les heures sont indiquées à l'heure de Beijing (UTC+8) et dans votre fuseau horaire.
back-to-events = Retour aux événements
error-status = Erreur

## Accueil
home-title = Événements de promotion des investissements
home-lead = Rencontrez en ligne les départements compétents, les districts et les parcs industriels, dans votre langue.
home-no-events = Aucun événement n'est publié pour le moment.

## Statuts
status-draft = Brouillon
status-published = Inscriptions ouvertes
status-live = En direct
status-closed = Terminé

## Page de l'événement
event-theme = Thème
event-facts = Points clés
event-focus = Secteur prioritaire
event-target = Pour les entreprises de
event-languages = Langues
event-register = S'inscrire
event-registration-closed = Les inscriptions sont closes
event-add-calendar = Ajouter au calendrier (.ics)
event-video = Lien vidéo
event-when = Quand
event-about = À propos de l'événement
event-agenda = Programme
event-agenda-empty = Le programme sera publié prochainement.
event-parks = Parcs industriels
event-policies = Politiques présentées
event-stories = Témoignages de réussite
park-policies = Politiques préférentielles
policy-validity = Validité
policy-valid-from = à partir du { $date }
policy-valid-until = jusqu'au { $date }
sample-content = Contenu d'exemple
sample-data = Données d'exemple
time-beijing = heure de Beijing
time-beijing-short = Beijing
time-yours = votre heure
time-zone-choose = Afficher les heures en
time-zone-apply = Appliquer
session-exchange = Échange
session-presentation = Présentation
session-speakers = Intervenants
session-materials = Documents
session-parks = Parcs
session-stories = Entreprises
material-link = lien

## Avantages et types
benefit-tax = Fiscalité
benefit-subsidy = Subvention
benefit-land = Terrains et locaux
benefit-talent = Talents
benefit-finance = Financement
benefit-market-access = Accès au marché
department-kind-office = Bureau
department-kind-bureau = Administration
department-kind-district = Gouvernement de district
department-kind-park = Administration de parc
department-kind-company = Entreprise
department-kind-agency = Agence

## Secteurs
industry-smart-manufacturing = Fabrication intelligente
industry-automotive = Automobile
industry-machinery = Machines et équipements
industry-electronics = Électronique et semi-conducteurs
industry-ict-software = TIC et logiciels
industry-ai-robotics = IA et robotique
industry-biomedicine = Biomédecine
industry-medical-devices = Dispositifs médicaux
industry-new-energy = Énergies nouvelles
industry-environmental-tech = Technologies environnementales
industry-chemicals-materials = Chimie et matériaux
industry-aerospace = Aérospatiale
industry-finance = Finance
industry-professional-services = Services aux entreprises
industry-logistics = Logistique
industry-consumer-goods = Biens de consommation
industry-education-research = Enseignement et recherche
industry-other = Autre

## Tailles d'entreprise
size-1-9 = 1 à 9 salariés
size-10-49 = 10 à 49 salariés
size-50-249 = 50 à 249 salariés
size-250-999 = 250 à 999 salariés
size-1000plus = 1 000 salariés ou plus

## Inscription
register-title = Inscription
register-you = Vous
register-company = Votre entreprise ou institution
register-questions = Quelques questions des organisateurs
register-privacy = Protection des données
register-submit = Valider l'inscription
privacy-notice = Nous utilisons vos données pour organiser cet événement, vous envoyer ses documents et donner suite à votre intérêt pour un investissement à Beijing. Vous pouvez demander leur suppression à tout moment.
privacy-version = Version de la politique de confidentialité
form-required-note = Les champs marqués * sont obligatoires.
form-choose = Veuillez choisir
form-none = Aucun
form-has-errors = Veuillez corriger les points suivants :
form-save = Enregistrer
form-cancel = Annuler
form-remove = Retirer
field-name = Nom complet
field-email = Adresse e-mail
field-job-title = Fonction
field-language = Langue préférée
field-company-name = Entreprise ou institution
field-country = Pays
field-industry = Secteur
field-size = Taille
field-website = Site web
field-consent = J'accepte que mes données soient utilisées comme décrit dans la politique de confidentialité.
field-password = Mot de passe

## Confirmation et page du participant
confirm-title = Vous êtes inscrit
confirm-text = Nous avons envoyé une confirmation avec le programme à { $email }. Conservez l'adresse de cette page : c'est votre lien personnel.
participant-title = Votre inscription
participant-registration = Vos coordonnées
participant-link-title = Votre lien personnel
participant-link-text = Cette adresse ouvre votre inscription. Ne la partagez pas.

## Connexion
login-title = Connexion du personnel
login-lead = Pour les organisateurs, modérateurs et responsables des départements.
login-submit = Se connecter
login-failed = L'adresse e-mail ou le mot de passe est incorrect.
login-rate-limited = Trop de tentatives échouées. Veuillez réessayer dans { $count } secondes.

## Administration
admin-title = Administration
admin-welcome = Connecté en tant que { $name }.
admin-new-event = Nouvel événement
admin-edit-event = Modifier l'événement
admin-events = Événements
admin-registrations = Inscriptions
admin-view-public = Page publique
admin-actions = Actions
admin-departments = Départements
admin-departments-lead = Les administrations, districts, gestionnaires de parcs et bureaux qui présentent et répondent.
admin-department = Département
admin-new-department = Nouveau département
admin-edit-department = Modifier le département
admin-outbox = Boîte d'envoi
admin-event-basics = Titre et description
admin-event-when = Date, heure et vidéo
admin-event-audience = Public
admin-add-session = Ajouter une séance
admin-session = Séance
admin-delete-session = Supprimer cette séance
admin-add-speaker = Ajouter un intervenant
admin-no-speakers = Pas encore d'intervenants.
admin-add-material = Ajouter un document
admin-no-materials = Pas encore de documents.
field-title = Titre
field-theme = Thème
field-description = Description
field-markdown-hint = Markdown : **gras**, listes, liens.
field-slug = Nom d'adresse
field-slug-hint = Minuscules, chiffres et tirets ; utilisé dans l'adresse de l'événement.
field-status = Statut
field-starts-at = Début
field-ends-at = Fin
field-timezone = Fuseau horaire de l'événement
field-timezone-hint = Nom IANA, p. ex. Asia/Shanghai ou Europe/Berlin.
field-video-url = Lien vidéo (diffusion ou réunion)
field-focus-industries = Secteurs prioritaires
field-target-countries = Pays cibles
field-target-countries-hint = Codes ISO séparés par des virgules, p. ex. DE, AT, CH.
field-registration-questions = Questions d'inscription (JSON)
field-registration-questions-hint = Une liste de questions : key, label par langue, kind (text ou choice), required, options.
field-session-kind = Type
field-department = Département présentateur
field-presenter = Présenté par
field-presenter-hint = Pour les présentateurs qui ne sont pas des départements, comme des entreprises.
field-summary = Résumé
field-speaker-role = Fonction
field-kind = Type
field-file = Fichier
field-file-hint = PDF, diapositives (PPTX, PPT, ODP) ou images (PNG, JPEG, WebP), jusqu'à { $count } Mo.
field-material-url = Ou un lien
registrations-count = { $count ->
    [one] Une inscription
   *[other] { $count } inscriptions
}
registrations-shown = { $count ->
    [one] Une inscription affichée
   *[other] { $count } inscriptions affichées
}
registrations-by-country = Par pays
registrations-by-industry = Par secteur
registrations-export = Exporter en CSV
filter-search = Recherche
filter-all = Tous
filter-apply = Filtrer
filter-reset = Réinitialiser
csv-registered-at = Inscrit le
csv-consent-at = Consentement donné le
csv-consent-version = Version de la politique de confidentialité
outbox-smtp-on = Les e-mails sont envoyés par le serveur SMTP configuré.
outbox-smtp-off = Aucun serveur SMTP n'est configuré : les e-mails sont conservés ici et ne sont pas envoyés.
outbox-empty = Pas encore d'e-mails.
outbox-to = À
outbox-show = Afficher l'e-mail
email-status-pending = En attente d'envoi
email-status-sending = En cours d'envoi
email-status-sent = Envoyé
email-status-held = Conservé dans la boîte d'envoi
email-status-failed = Échec

## E-mails
email-subject-confirmed = Inscription confirmée : { $event }
email-greeting = Bonjour { $name },
email-registered = merci de votre inscription à « { $event } ».
email-personal-link = Votre page personnelle (gardez ce lien pour vous) :
email-ics-attached = Le programme est joint sous forme de fichier de calendrier (.ics).
email-consent = Vous avez accepté la politique de confidentialité, version { $version }.

## Erreurs de champ
error-required = Ce champ est obligatoire.
error-too-long = Veuillez saisir au plus { $limit } caractères.
error-too-short = Veuillez saisir au moins { $limit } caractères.
error-too-many = Au plus { $limit } sont autorisés.
error-invalid-email = Veuillez saisir une adresse e-mail valide, par exemple nom@entreprise.fr.
error-invalid-url = Veuillez saisir une adresse web complète commençant par https://.
error-invalid-slug = Utilisez uniquement des minuscules, des chiffres et des tirets simples.
error-invalid-datetime = Veuillez saisir une date et une heure.
error-ends-before-start = La fin doit être postérieure au début.
error-outside-event = La séance doit se situer dans les horaires de l'événement.
error-consent-required = Veuillez accepter la politique de confidentialité pour vous inscrire.
error-unknown-country = Veuillez choisir un pays dans la liste.
error-unknown-industry = Veuillez choisir un secteur dans la liste.
error-unknown-size = Veuillez choisir une taille dans la liste.
error-unknown-language = Veuillez choisir l'une des langues proposées.
error-unknown-choice = Veuillez choisir l'une des réponses proposées.
error-unknown-question = Cette question ne fait pas partie de l'événement.
error-unknown-status = Statut inconnu.
error-status-transition = L'événement ne peut pas passer à ce statut depuis son statut actuel.
error-unknown-timezone = Fuseau horaire inconnu ; utilisez un nom comme Asia/Shanghai.
error-unknown-kind = Veuillez choisir un type dans la liste.
error-unknown-department = Veuillez choisir un département de votre agence.
error-unknown-park = Veuillez choisir des parcs de votre agence.
error-unknown-policy = Veuillez choisir des politiques de votre agence.
error-unknown-story = Veuillez choisir des témoignages de votre agence.
error-unsupported-file-type = Ce type de fichier n'est pas accepté. Utilisez PDF, PPTX, PPT, ODP, PNG, JPEG ou WebP.
error-malformed-upload = Le fichier envoyé n'a pas pu être lu. Veuillez réessayer.
error-file-too-large = Le fichier est trop volumineux : { $limit } Mo au plus.
error-invalid-json = Ce n'est pas du JSON valide.
error-slug-taken = Ce nom d'adresse est déjà utilisé.
error-email-taken = Cette adresse e-mail a déjà un compte.
error-already-registered = Cette adresse e-mail est déjà inscrite à cet événement.
error-unique = Cela existe déjà.

## Problèmes (erreurs de l'API et pages d'erreur)
problem-not-found = Introuvable
problem-not-found-help = La page ou l'élément n'existe pas, ou vous n'êtes pas autorisé à le voir.
problem-unauthenticated = Connexion requise
problem-unauthenticated-help = Veuillez vous connecter pour continuer.
problem-forbidden = Non autorisé
problem-forbidden-help = Votre rôle ne le permet pas, ou le formulaire a expiré. Rechargez la page et réessayez.
problem-already-registered = Déjà inscrit
problem-already-registered-help = Cette adresse e-mail est déjà inscrite à cet événement.
problem-slug-taken = Nom d'adresse déjà pris
problem-slug-taken-help = Choisissez un autre nom d'adresse.
problem-email-taken = E-mail déjà utilisé
problem-email-taken-help = Cette adresse e-mail a déjà un compte.
problem-unique = Existe déjà
problem-unique-help = Cela existe déjà.
problem-invalid = Saisie invalide
problem-invalid-help = Certains champs ne sont pas valides.
problem-rate-limited = Trop de requêtes
problem-rate-limited-help = Veuillez patienter un instant et réessayer.
problem-registration-closed = Inscriptions closes
problem-registration-closed-help = Cet événement n'accepte plus d'inscriptions.
problem-too-large = Trop volumineux
problem-too-large-help = Le fichier ou la requête est trop volumineux.
problem-internal = Une erreur s'est produite
problem-internal-help = L'opération n'a pas pu aboutir. Réessayez plus tard ; rien de ce qui était enregistré n'est perdu.
problem-body-too-large = Requête trop volumineuse
problem-body-too-large-help = Le corps de la requête dépasse la taille autorisée.
problem-cross-origin = Requête d'un autre site
problem-cross-origin-help = Les formulaires ne peuvent être envoyés que depuis ce site.
problem-invalid-json-data = Champs JSON incorrects
problem-invalid-json-data-help = Le corps JSON n'a pas les champs et types attendus.
problem-json-required = JSON requis
problem-json-required-help = Envoyez le corps en application/json.
problem-malformed-json = JSON mal formé
problem-malformed-json-help = Le corps de la requête n'est pas du JSON valide.
problem-multipart-required = Formulaire d'envoi requis
problem-multipart-required-help = Envoyez le fichier en multipart/form-data.
problem-bad-request = Requête incorrecte
problem-bad-request-help = La requête n'a pas pu être lue.
