<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AdminScreen</name>
    <message>
        <source>Admin pages</source>
        <translation>Pages d&apos;administration</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>Autotest</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>Chiffres</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Serveur central</translation>
    </message>
    <message>
        <source>Sync queue</source>
        <translation>File d&apos;envoi</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>Capteur</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Opérateurs</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Leaves the admin area (Esc does the same).</source>
        <translation>Quitte l&apos;administration (Échap fait de même).</translation>
    </message>
    <message>
        <source>Close the program</source>
        <translation>Fermer le programme</translation>
    </message>
    <message>
        <source>Closes the desk program (after a confirmation).</source>
        <translation>Ferme le programme du guichet (après une confirmation).</translation>
    </message>
    <message>
        <source>Close the desk program? Nobody can enroll until it is started again.</source>
        <translation>Fermer le programme du guichet ? Personne ne pourra enregistrer avant qu&apos;il soit relancé.</translation>
    </message>
    <message>
        <source>Yes, close it</source>
        <translation>Oui, le fermer</translation>
    </message>
</context>
<context>
    <name>CaptureScreen</name>
    <message>
        <source>Capture</source>
        <translation>Capture</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Consigne</translation>
    </message>
    <message>
        <source>What to do differently</source>
        <translation>Ce qu&apos;il faut faire autrement</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Stops this capture; nothing is saved for this finger.</source>
        <translation>Arrête cette capture ; rien n&apos;est enregistré pour ce doigt.</translation>
    </message>
    <message>
        <source>{name} — checking the {finger}</source>
        <translation>{name} — vérification : {finger}</translation>
    </message>
    <message>
        <source>{name} — {finger}</source>
        <translation>{name} — {finger}</translation>
    </message>
    <message>
        <source>Skip the check</source>
        <translation>Passer la vérification</translation>
    </message>
    <message>
        <source>Ends the check; the finger stays saved.</source>
        <translation>Termine la vérification ; le doigt reste enregistré.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>{s} s left to lift the finger</source>
        <translation>{s} s restantes pour lever le doigt</translation>
    </message>
    <message>
        <source>{s} s left to place the finger</source>
        <translation>{s} s restantes pour poser le doigt</translation>
    </message>
</context>
<context>
    <name>CentralPage</name>
    <message>
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Central key</source>
        <translation>Clé centrale</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Certificat</translation>
    </message>
    <message>
        <source>Key pinned</source>
        <translation>Clé retenue</translation>
    </message>
    <message>
        <source>A provisioning file from the central server sets this station&apos;s id, the broker, its password, the certificates and the policy in one step. The file contains a password: keep it safe and delete it after the import.</source>
        <translation>Un fichier de mise en service du serveur central règle en une fois l&apos;identifiant de ce poste, le serveur de messages, son mot de passe, les certificats et les règles. Le fichier contient un mot de passe : gardez-le en lieu sûr et supprimez-le après l&apos;import.</translation>
    </message>
    <message>
        <source>This step is optional: “Done” goes on to the roster, and this page stays in the admin area for later.</source>
        <translation>Cette étape est facultative : « Terminé » passe à la liste des personnes, et cette page reste disponible dans l&apos;administration.</translation>
    </message>
    <message>
        <source>Import a provisioning file…</source>
        <translation>Importer un fichier de mise en service…</translation>
    </message>
    <message>
        <source>Chooses the file from the central server that sets up this station.</source>
        <translation>Choisit le fichier du serveur central qui met en service ce poste.</translation>
    </message>
    <message>
        <source>Compare this fingerprint of the central server&apos;s signing key with the one its administrator gave you (on paper or by phone). Import only if every group matches.</source>
        <translation>Comparez cette empreinte de la clé de signature du serveur central avec celle que son administrateur vous a donnée (sur papier ou par téléphone). N&apos;importez que si chaque groupe est identique.</translation>
    </message>
    <message>
        <source>It does not match</source>
        <translation>Ce n&apos;est pas la même</translation>
    </message>
    <message>
        <source>Refuses the file; nothing is changed.</source>
        <translation>Refuse le fichier ; rien n&apos;est changé.</translation>
    </message>
    <message>
        <source>It matches — import</source>
        <translation>C&apos;est la même — importer</translation>
    </message>
    <message>
        <source>Imports the settings of the file and tests the connection.</source>
        <translation>Importe les réglages du fichier et teste la connexion.</translation>
    </message>
    <message>
        <source>This station is {id} and sends to {url}.</source>
        <translation>Ce poste est {id} et envoie à {url}.</translation>
    </message>
    <message>
        <source>Import a new provisioning file…</source>
        <translation>Importer un nouveau fichier de mise en service…</translation>
    </message>
    <message>
        <source>No central server is set up yet: enrollments stay on this station.</source>
        <translation>Aucun serveur central n&apos;est encore configuré : les enregistrements restent sur ce poste.</translation>
    </message>
    <message>
        <source>Provisioning file</source>
        <translation>Fichier de mise en service</translation>
    </message>
    <message>
        <source>Provisioning files (*{suffix} *.kioskprov);;All files (*)</source>
        <translation>Fichiers de mise en service (*{suffix} *.kioskprov);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>Vérification de {name}…</translation>
    </message>
    <message>
        <source>✗ This file cannot be used: {e} Nothing was changed.</source>
        <translation>✗ Ce fichier ne peut pas être utilisé : {e} Rien n&apos;a été changé.</translation>
    </message>
    <message>
        <source>Signed file for station {id}, broker {url}, issued {at}.</source>
        <translation>Fichier signé pour le poste {id}, serveur {url}, émis le {at}.</translation>
    </message>
    <message>
        <source>This station already trusts another central key ({pinned}). A file signed by a different key is refused: it is forged or from another central server.</source>
        <translation>Ce poste fait déjà confiance à une autre clé centrale ({pinned}). Un fichier signé par une autre clé est refusé : il est falsifié ou vient d&apos;un autre serveur central.</translation>
    </message>
    <message>
        <source>Signed by the central key this station already trusts.</source>
        <translation>Signé par la clé centrale en laquelle ce poste a déjà confiance.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Not imported. Ask the central server&apos;s administrator for the right file and fingerprint. Nothing was changed.</source>
        <translation>Non importé. Demandez à l&apos;administrateur du serveur central le bon fichier et la bonne empreinte de clé. Rien n&apos;a été changé.</translation>
    </message>
    <message>
        <source>Importing and testing the connection…</source>
        <translation>Import et test de la connexion…</translation>
    </message>
    <message>
        <source>Signed by central key {fp}, the one you confirmed. From now on this station accepts only files signed by it.</source>
        <translation>Signé par la clé centrale {fp}, celle que vous avez confirmée. Désormais ce poste n&apos;accepte que les fichiers signés par elle.</translation>
    </message>
    <message>
        <source>✗ Not imported: {why} Nothing was changed.</source>
        <translation>✗ Non importé : {why} Rien n&apos;a été changé.</translation>
    </message>
    <message>
        <source>Imported. Restarting sync with the new settings…</source>
        <translation>Importé. Redémarrage de l&apos;envoi avec les nouveaux réglages…</translation>
    </message>
    <message>
        <source>✓ Imported. Sync now uses the new settings, and the next enrollment uses the new policy.</source>
        <translation>✓ Importé. L&apos;envoi utilise maintenant les nouveaux réglages, et le prochain enregistrement les nouvelles règles.</translation>
    </message>
    <message>
        <source>Imported, but sync could not restart ({e}). Restart the program to use the new settings.</source>
        <translation>Importé, mais l&apos;envoi n&apos;a pas pu redémarrer ({e}). Relancez le programme pour utiliser les nouveaux réglages.</translation>
    </message>
</context>
<context>
    <name>ConfirmPanel</name>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>Go back without doing it.</source>
        <translation>Revenir sans le faire.</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <source>Signed the paper form</source>
        <translation>A signé le formulaire papier</translation>
    </message>
    <message>
        <source>Accepted on this screen</source>
        <translation>Accepté sur cet écran</translation>
    </message>
    <message>
        <source>Said yes; I confirm as the operator</source>
        <translation>A dit oui ; je le confirme comme opérateur</translation>
    </message>
    <message>
        <source>Consent notice</source>
        <translation>Notice de consentement</translation>
    </message>
    <message>
        <source>Notice language</source>
        <translation>Langue de la notice</translation>
    </message>
    <message>
        <source>The language the person reads the notice in; it is recorded with the consent.</source>
        <translation>La langue dans laquelle la personne lit la notice ; elle est notée avec le consentement.</translation>
    </message>
    <message>
        <source>Notice in</source>
        <translation>Notice en</translation>
    </message>
    <message>
        <source>How was consent given?</source>
        <translation>Comment le consentement a-t-il été donné ?</translation>
    </message>
    <message>
        <source>How the person gave consent.</source>
        <translation>Comment la personne a donné son consentement.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Back to the search; nothing is recorded.</source>
        <translation>Retour à la recherche ; rien n&apos;est enregistré.</translation>
    </message>
    <message>
        <source>Person refuses</source>
        <translation>La personne refuse</translation>
    </message>
    <message>
        <source>Records that the person said no (after a confirmation).</source>
        <translation>Note que la personne a dit non (après une confirmation).</translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation>Consentement donné</translation>
    </message>
    <message>
        <source>Records the consent with the chosen method and goes on to the fingers.</source>
        <translation>Note le consentement avec la manière choisie et passe aux doigts.</translation>
    </message>
    <message>
        <source>Notice version {v}</source>
        <translation>Version de la notice {v}</translation>
    </message>
    <message>
        <source>If the person says no: {alt}. Saying no has no other consequence.</source>
        <translation>Si la personne dit non : {alt}. Dire non n&apos;a aucune autre conséquence.</translation>
    </message>
    <message>
        <source>Consent — {name}</source>
        <translation>Consentement — {name}</translation>
    </message>
    <message>
        <source>{name} refused before. Record consent only if they have changed their mind.</source>
        <translation>{name} a déjà refusé. Notez le consentement seulement si la personne a changé d&apos;avis.</translation>
    </message>
    <message>
        <source>{name} withdrew consent before. Record it again only if they ask to enroll.</source>
        <translation>{name} a déjà retiré son consentement. Notez-le de nouveau seulement si la personne demande à être enregistrée.</translation>
    </message>
    <message>
        <source>Record that {name} refuses? Nothing is captured, and the alternative is offered.</source>
        <translation>Noter que {name} refuse ? Rien n&apos;est capturé, et la solution de remplacement est proposée.</translation>
    </message>
    <message>
        <source>Yes, record the refusal</source>
        <translation>Oui, noter le refus</translation>
    </message>
    <message>
        <source>The consent could not be saved: {e}</source>
        <translation>Le consentement n&apos;a pas pu être enregistré : {e}</translation>
    </message>
</context>
<context>
    <name>DiagnosticsPage</name>
    <message>
        <source>One file for support: the station&apos;s log, the sensor&apos;s serial trace, program versions, the settings without passwords, and the self-test results. It holds no fingerprints and no PINs.</source>
        <translation>Un seul fichier pour l&apos;assistance : le journal du poste, la trace série du capteur, les versions des programmes, les réglages sans mots de passe et les résultats de l&apos;autotest. Il ne contient ni empreintes ni codes PIN.</translation>
    </message>
    <message>
        <source>Export diagnostics bundle</source>
        <translation>Exporter le dossier de diagnostic</translation>
    </message>
    <message>
        <source>No fingerprints and no PINs go into it.</source>
        <translation>Il ne contient ni empreintes ni codes PIN.</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <source>Shows the folder with the bundle.</source>
        <translation>Montre le dossier qui contient le fichier.</translation>
    </message>
    <message>
        <source>Collecting…</source>
        <translation>Collecte…</translation>
    </message>
    <message>
        <source>Saved for support: {path}</source>
        <translation>Enregistré pour l&apos;assistance : {path}</translation>
    </message>
    <message>
        <source>The bundle could not be written: {e}</source>
        <translation>Le fichier n&apos;a pas pu être écrit : {e}</translation>
    </message>
</context>
<context>
    <name>DuplicateScreen</name>
    <message>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <source>The supervisor signing this decision.</source>
        <translation>Le responsable qui signe cette décision.</translation>
    </message>
    <message>
        <source>Administrator PIN</source>
        <translation>Code PIN administrateur</translation>
    </message>
    <message>
        <source>Enter shows whose finger the sensor found.</source>
        <translation>Entrée montre à qui est le doigt trouvé par le capteur.</translation>
    </message>
    <message>
        <source>Show the details</source>
        <translation>Voir les détails</translation>
    </message>
    <message>
        <source>Checks the administrator PIN, then shows whose finger this is.</source>
        <translation>Vérifie le code PIN administrateur, puis montre à qui est ce doigt.</translation>
    </message>
    <message>
        <source>Details for the administrator</source>
        <translation>Détails pour l&apos;administrateur</translation>
    </message>
    <message>
        <source>Why this finger may be enrolled anyway</source>
        <translation>Pourquoi ce doigt peut quand même être enregistré</translation>
    </message>
    <message>
        <source>Reason for the override</source>
        <translation>Raison de la dérogation</translation>
    </message>
    <message>
        <source>Recorded in the audit log with your name.</source>
        <translation>Noté dans le journal d&apos;audit avec votre nom.</translation>
    </message>
    <message>
        <source>Enroll anyway</source>
        <translation>Enregistrer quand même</translation>
    </message>
    <message>
        <source>Enrolls this finger although the sensor holds a matching one (after a confirmation).</source>
        <translation>Enregistre ce doigt bien que le capteur en contienne un identique (après une confirmation).</translation>
    </message>
    <message>
        <source>Supervisor…</source>
        <translation>Responsable…</translation>
    </message>
    <message>
        <source>For the supervisor: type the administrator PIN to see the details.</source>
        <translation>Pour le responsable : tapez le code PIN administrateur pour voir les détails.</translation>
    </message>
    <message>
        <source>Next person</source>
        <translation>Personne suivante</translation>
    </message>
    <message>
        <source>Nothing was saved; back to the search.</source>
        <translation>Rien n&apos;a été enregistré ; retour à la recherche.</translation>
    </message>
    <message>
        <source>Choose the administrator and type the PIN.</source>
        <translation>Choisissez l&apos;administrateur et tapez le code PIN.</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>Le code PIN n&apos;a pas pu être vérifié.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Code PIN faux.</translation>
    </message>
    <message>
        <source>Too many wrong PINs; try again later.</source>
        <translation>Trop de codes PIN faux ; réessayez plus tard.</translation>
    </message>
    <message>
        <source>Only an administrator can see the details.</source>
        <translation>Seul un administrateur peut voir les détails.</translation>
    </message>
    <message>
        <source>Enroll this finger anyway? {admin} is recorded as having decided it, with the reason given.</source>
        <translation>Enregistrer quand même ce doigt ? {admin} est noté comme ayant pris la décision, avec la raison donnée.</translation>
    </message>
    <message>
        <source>Yes, enroll anyway</source>
        <translation>Oui, enregistrer quand même</translation>
    </message>
</context>
<context>
    <name>FiguresPage</name>
    <message>
        <source>not read</source>
        <translation>non lu</translation>
    </message>
    <message>
        <source>too faint</source>
        <translation>trop pâle</translation>
    </message>
    <message>
        <source>smudged</source>
        <translation>brouillée</translation>
    </message>
    <message>
        <source>unclear</source>
        <translation>floue</translation>
    </message>
    <message>
        <source>not flat enough</source>
        <translation>pas assez à plat</translation>
    </message>
    <message>
        <source>another finger</source>
        <translation>un autre doigt</translation>
    </message>
    <message>
        <source>weak match</source>
        <translation>correspondance faible</translation>
    </message>
    <message>
        <source>did not fit together</source>
        <translation>ne vont pas ensemble</translation>
    </message>
    <message>
        <source>third press did not match</source>
        <translation>troisième appui différent</translation>
    </message>
    <message>
        <source>no finger placed</source>
        <translation>aucun doigt posé</translation>
    </message>
    <message>
        <source>finger not lifted</source>
        <translation>doigt non levé</translation>
    </message>
    <message>
        <source>already registered</source>
        <translation>déjà enregistré</translation>
    </message>
    <message>
        <source>sensor unplugged</source>
        <translation>capteur débranché</translation>
    </message>
    <message>
        <source>no sensor</source>
        <translation>pas de capteur</translation>
    </message>
    <message>
        <source>too many unclear presses</source>
        <translation>trop d&apos;appuis flous</translation>
    </message>
    <message>
        <source>presses did not agree</source>
        <translation>appuis différents</translation>
    </message>
    <message>
        <source>sensor problem</source>
        <translation>problème de capteur</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Enregistrés</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échecs</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Médiane</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Depuis</translation>
    </message>
    <message>
        <source>The first day counted.</source>
        <translation>Le premier jour compté.</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd&apos;hui</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 jours</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 jours</translation>
    </message>
    <message>
        <source>Counts from {n} day(s) ago.</source>
        <translation>Compte depuis {n} jour(s).</translation>
    </message>
    <message>
        <source>Fingers enrolled</source>
        <translation>Doigts enregistrés</translation>
    </message>
    <message>
        <source>People enrolled</source>
        <translation>Personnes enregistrées</translation>
    </message>
    <message>
        <source>Failure to enroll</source>
        <translation>Échec d&apos;enregistrement</translation>
    </message>
    <message>
        <source>Failed attempts</source>
        <translation>Tentatives échouées</translation>
    </message>
    <message>
        <source>Time per finger</source>
        <translation>Temps par doigt</translation>
    </message>
    <message>
        <source>Retries per capture</source>
        <translation>Reprises par capture</translation>
    </message>
    <message>
        <source>Checks after enrollment</source>
        <translation>Vérifications après l&apos;enregistrement</translation>
    </message>
    <message>
        <source>Why presses were repeated</source>
        <translation>Pourquoi des appuis ont été repris</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Par jour</translation>
    </message>
    <message>
        <source>Enrollments per day.</source>
        <translation>Enregistrements par jour.</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Per operator</source>
        <translation>Par opérateur</translation>
    </message>
    <message>
        <source>Enrollments per operator.</source>
        <translation>Enregistrements par opérateur.</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Calcul…</translation>
    </message>
    <message>
        <source>The figures could not be read: {e}</source>
        <translation>Les chiffres n&apos;ont pas pu être lus : {e}</translation>
    </message>
    <message>
        <source>{n} attempts</source>
        <translation>{n} tentatives</translation>
    </message>
    <message>
        <source>{pct} ({n} of {m} people)</source>
        <translation>{pct} ({n} personne(s) sur {m})</translation>
    </message>
    <message>
        <source>{n} ({pct} of attempts)</source>
        <translation>{n} ({pct} des tentatives)</translation>
    </message>
    <message>
        <source>{r} ({n} of {c} captures)</source>
        <translation>{r} ({n} sur {c} captures)</translation>
    </message>
    <message>
        <source>{n}: {ok} passed, {bad} failed</source>
        <translation>{n} : {ok} réussie(s), {bad} échouée(s)</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} s</translation>
    </message>
    <message>
        <source>Shows the table per day.</source>
        <translation>Affiche le tableau par jour.</translation>
    </message>
    <message>
        <source>Shows the table per operator.</source>
        <translation>Affiche le tableau par opérateur.</translation>
    </message>
    <message>
        <source>median {m} · 90 % ≤ {p}</source>
        <translation>médiane {m} · 90 % ≤ {p}</translation>
    </message>
</context>
<context>
    <name>FingerScreen</name>
    <message>
        <source>Chosen finger</source>
        <translation>Doigt choisi</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Back to the search.</source>
        <translation>Retour à la recherche.</translation>
    </message>
    <message>
        <source>Start capture</source>
        <translation>Lancer la capture</translation>
    </message>
    <message>
        <source>The sensor is not connected. Plug it in; this button turns on by itself.</source>
        <translation>Le capteur n&apos;est pas branché. Branchez-le ; ce bouton s&apos;active tout seul.</translation>
    </message>
    <message>
        <source>Waiting for the sensor…</source>
        <translation>En attente du capteur…</translation>
    </message>
    <message>
        <source>Starts the three presses of the chosen finger.</source>
        <translation>Lance les trois appuis du doigt choisi.</translation>
    </message>
    <message>
        <source>Turns on when the sensor is connected.</source>
        <translation>S&apos;active quand le capteur est branché.</translation>
    </message>
    <message>
        <source>Choose the extra finger — {name}</source>
        <translation>Choisir le doigt en plus — {name}</translation>
    </message>
    <message>
        <source>Choose the finger — {name}</source>
        <translation>Choisir le doigt — {name}</translation>
    </message>
    <message>
        <source>Green with a check: enrolled (choose it to enroll it again or remove it). Light blue: recommended.</source>
        <translation>Vert avec une coche : enregistré (choisissez-le pour l&apos;enregistrer de nouveau ou le supprimer). Bleu clair : conseillé.</translation>
    </message>
    <message>
        <source>Light blue: recommended. Choose another finger to change.</source>
        <translation>Bleu clair : conseillé. Choisissez un autre doigt pour changer.</translation>
    </message>
    <message>
        <source>Chosen: {finger}</source>
        <translation>Choisi : {finger}</translation>
    </message>
    <message>
        <source>Every finger is enrolled.</source>
        <translation>Tous les doigts sont enregistrés.</translation>
    </message>
    <message>
        <source>Choose a finger on the diagram.</source>
        <translation>Choisissez un doigt sur le schéma.</translation>
    </message>
    <message>
        <source>Withdraw consent or delete…</source>
        <translation>Retirer le consentement ou supprimer…</translation>
    </message>
    <message>
        <source>When the person withdraws consent or asks for their prints to be deleted.</source>
        <translation>Quand la personne retire son consentement ou demande la suppression de ses empreintes.</translation>
    </message>
</context>
<context>
    <name>ForgetPersonScreen</name>
    <message>
        <source>The person asked for it at the desk</source>
        <translation>La personne l&apos;a demandé au guichet</translation>
    </message>
    <message>
        <source>The prints were enrolled under the wrong name</source>
        <translation>Les empreintes ont été enregistrées sous un mauvais nom</translation>
    </message>
    <message>
        <source>Another reason:</source>
        <translation>Une autre raison :</translation>
    </message>
    <message>
        <source>What is held about this person</source>
        <translation>Ce qui est conservé sur cette personne</translation>
    </message>
    <message>
        <source>The person withdraws their consent</source>
        <translation>La personne retire son consentement</translation>
    </message>
    <message>
        <source>Records the withdrawal and deletes every print; they need to consent again before any new enrollment.</source>
        <translation>Enregistre le retrait et supprime toutes les empreintes ; un nouveau consentement sera nécessaire avant tout nouvel enregistrement.</translation>
    </message>
    <message>
        <source>Delete the prints, the consent stays</source>
        <translation>Supprimer les empreintes, le consentement reste</translation>
    </message>
    <message>
        <source>Deletes every print, for example to enroll the person again from the start.</source>
        <translation>Supprime toutes les empreintes, par exemple pour réenregistrer la personne depuis le début.</translation>
    </message>
    <message>
        <source>What does the person ask for?</source>
        <translation>Que demande la personne ?</translation>
    </message>
    <message>
        <source>The reason recorded with the deletion.</source>
        <translation>La raison enregistrée avec la suppression.</translation>
    </message>
    <message>
        <source>Every print of this person is deleted on this station, on the sensor and at the central server; the deletion is recorded.</source>
        <translation>Toutes les empreintes de cette personne sont supprimées sur ce poste, sur le capteur et sur le serveur central ; la suppression est enregistrée.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Back without changing anything.</source>
        <translation>Retour sans rien changer.</translation>
    </message>
    <message>
        <source>Delete the prints</source>
        <translation>Supprimer les empreintes</translation>
    </message>
    <message>
        <source>Deletes every print of this person (after a confirmation).</source>
        <translation>Supprime toutes les empreintes de cette personne (après confirmation).</translation>
    </message>
    <message>
        <source>Delete the prints — {name} ({id})</source>
        <translation>Supprimer les empreintes — {name} ({id})</translation>
    </message>
    <message>
        <source>Fingers enrolled on this station: {n}.</source>
        <translation>Doigts enregistrés sur ce poste : {n}.</translation>
    </message>
    <message>
        <source>No finger is enrolled on this station.</source>
        <translation>Aucun doigt n&apos;est enregistré sur ce poste.</translation>
    </message>
    <message>
        <source>Consent is on record.</source>
        <translation>Le consentement est enregistré.</translation>
    </message>
    <message>
        <source>No consent is in force.</source>
        <translation>Aucun consentement n&apos;est en vigueur.</translation>
    </message>
    <message>
        <source>Record that {name} withdraws consent and delete every print?</source>
        <translation>Enregistrer que {name} retire son consentement et supprimer toutes les empreintes ?</translation>
    </message>
    <message>
        <source>Delete every print of {name}?</source>
        <translation>Supprimer toutes les empreintes de {name} ?</translation>
    </message>
    <message>
        <source>Yes, delete them</source>
        <translation>Oui, les supprimer</translation>
    </message>
</context>
<context>
    <name>HandDiagram</name>
    <message>
        <source>Hand diagram</source>
        <translation>Schéma des mains</translation>
    </message>
    <message>
        <source>Both hands, palms down. Use the arrow keys to move from finger to finger.</source>
        <translation>Les deux mains, paumes vers le bas. Les flèches du clavier passent d&apos;un doigt à l&apos;autre.</translation>
    </message>
    <message>
        <source>The finger to place</source>
        <translation>Le doigt à poser</translation>
    </message>
    <message>
        <source>enrolled. Press Space to enroll it again or remove it.</source>
        <translation>enregistré. Appuyez sur Espace pour l&apos;enregistrer de nouveau ou le supprimer.</translation>
    </message>
    <message>
        <source>not enrolled.</source>
        <translation>non enregistré.</translation>
    </message>
    <message>
        <source>chosen for the capture.</source>
        <translation>choisi pour la capture.</translation>
    </message>
    <message>
        <source>recommended. Press Space to choose it.</source>
        <translation>conseillé. Appuyez sur Espace pour le choisir.</translation>
    </message>
    <message>
        <source>not enrolled. Press Space to choose it.</source>
        <translation>non enregistré. Appuyez sur Espace pour le choisir.</translation>
    </message>
    <message>
        <source>Left hand</source>
        <translation>Main gauche</translation>
    </message>
    <message>
        <source>Right hand</source>
        <translation>Main droite</translation>
    </message>
</context>
<context>
    <name>IdleBanner</name>
    <message>
        <source>Idle sign-out</source>
        <translation>Déconnexion pour inactivité</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Rester connecté</translation>
    </message>
    <message>
        <source>Keeps you signed in; any touch or key does the same.</source>
        <translation>Vous garde connecté ; toucher l&apos;écran ou une touche fait de même.</translation>
    </message>
    <message>
        <source>No one has used the desk for a while: signing out in {s} s. Touch the screen or press any key to stay.</source>
        <translation>Personne n&apos;a utilisé le guichet depuis un moment : déconnexion dans {s} s. Touchez l&apos;écran ou appuyez sur une touche pour rester.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Fingerprint enrollment — {name}</source>
        <extracomment>Set to make the next start fail at once (the installer smoke test checks the log and box). The open log file faulthandler writes into (kept open while the GUI runs). Languages the desk speaks, each named in itself (so anyone finds their own). The one set of translators of the desk&apos;s QApplication. How long the warning shows before an idle sign-out (at most a third of the idle time). Exit code for &quot;an administrator closed the kiosk on purpose&quot; (the shell launcher is set to do nothing on it, and to restart the kiosk on any other code). A sign-out waits this long for a cancelled capture to end before it goes ahead anyway. The reason recorded when a finger is enrolled again because its check failed. The enrollment just completed (the check after it needs its slot and template).</extracomment>
        <translation>Enregistrement des empreintes — {name}</translation>
    </message>
    <message>
        <source>That did not work</source>
        <translation>Cela n&apos;a pas fonctionné</translation>
    </message>
    <message>
        <source>Next person</source>
        <translation>Personne suivante</translation>
    </message>
    <message>
        <source>Refusal recorded</source>
        <translation>Refus noté</translation>
    </message>
    <message>
        <source>{name} said no. Nothing was captured. Offer the alternative: {alt}.</source>
        <translation>{name} a dit non. Rien n&apos;a été capturé. Proposez la solution de remplacement : {alt}.</translation>
    </message>
    <message>
        <source>The sensor is not connected: its copy is cleared as soon as it is back.</source>
        <translation>Le capteur n&apos;est pas branché : sa copie est effacée dès son retour.</translation>
    </message>
    <message>
        <source>The sensor&apos;s copy is cleared.</source>
        <translation>La copie du capteur est effacée.</translation>
    </message>
    <message>
        <source>Finger removed</source>
        <translation>Doigt supprimé</translation>
    </message>
    <message>
        <source>The {finger} of {name} is deleted on this station, and the central server is told to delete it.</source>
        <translation>Le doigt « {finger} » de {name} est supprimé sur ce poste, et le serveur central doit le supprimer aussi.</translation>
    </message>
    <message>
        <source>Back to {name}</source>
        <translation>Retour à {name}</translation>
    </message>
    <message>
        <source>Another capture is still running</source>
        <translation>Une autre capture est encore en cours</translation>
    </message>
    <message>
        <source>The previous capture has not finished yet.</source>
        <translation>La capture précédente n&apos;est pas encore terminée.</translation>
    </message>
    <message>
        <source>Stop it and try again</source>
        <translation>L&apos;arrêter et réessayer</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>The fingers enrolled before are kept.</source>
        <translation>Les doigts enregistrés avant sont conservés.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Choose another finger</source>
        <translation>Choisir un autre doigt</translation>
    </message>
    <message>
        <source>Waiting for the sensor…</source>
        <translation>En attente du capteur…</translation>
    </message>
    <message>
        <source>Check once more</source>
        <translation>Vérifier encore une fois</translation>
    </message>
    <message>
        <source>Keep it, next person</source>
        <translation>Le garder, personne suivante</translation>
    </message>
    <message>
        <source>Enroll this finger again</source>
        <translation>Enregistrer de nouveau ce doigt</translation>
    </message>
    <message>
        <source>Delete the {finger} just saved and capture it again?</source>
        <translation>Supprimer le doigt « {finger} » qui vient d&apos;être enregistré et le capturer de nouveau ?</translation>
    </message>
    <message>
        <source>Yes, enroll it again</source>
        <translation>Oui, l&apos;enregistrer de nouveau</translation>
    </message>
    <message>
        <source>Close the program</source>
        <translation>Fermer le programme</translation>
    </message>
    <message>
        <source>Administrator PIN</source>
        <translation>Code PIN administrateur</translation>
    </message>
    <message>
        <source>The sensor is not connected: its copies are cleared as soon as it is back.</source>
        <translation>Le capteur n&apos;est pas branché : ses copies sont effacées dès son retour.</translation>
    </message>
    <message>
        <source>The sensor&apos;s copies are cleared.</source>
        <translation>Les copies du capteur sont effacées.</translation>
    </message>
    <message>
        <source>Consent withdrawn</source>
        <translation>Consentement retiré</translation>
    </message>
    <message>
        <source>Prints deleted</source>
        <translation>Empreintes supprimées</translation>
    </message>
    <message>
        <source>{n} print(s) of {name} are deleted on this station, and the central server is told to delete them.</source>
        <translation>{n} empreinte(s) de {name} sont supprimées sur ce poste, et le serveur central est prié de les supprimer.</translation>
    </message>
    <message>
        <source>{name} had no print on this station.</source>
        <translation>{name} n&apos;avait aucune empreinte sur ce poste.</translation>
    </message>
    <message>
        <source>A new enrollment needs their consent again.</source>
        <translation>Un nouvel enregistrement demandera de nouveau son consentement.</translation>
    </message>
</context>
<context>
    <name>ManageFingerScreen</name>
    <message>
        <source>The wrong finger was enrolled</source>
        <translation>Le mauvais doigt a été enregistré</translation>
    </message>
    <message>
        <source>The finger is injured or worn</source>
        <translation>Le doigt est blessé ou usé</translation>
    </message>
    <message>
        <source>The check after enrollment failed</source>
        <translation>La vérification après l&apos;enregistrement a échoué</translation>
    </message>
    <message>
        <source>The person asked for it</source>
        <translation>La personne l&apos;a demandé</translation>
    </message>
    <message>
        <source>Another reason:</source>
        <translation>Autre raison :</translation>
    </message>
    <message>
        <source>About this finger</source>
        <translation>À propos de ce doigt</translation>
    </message>
    <message>
        <source>The reason recorded with the change.</source>
        <translation>La raison notée avec le changement.</translation>
    </message>
    <message>
        <source>The old print is deleted on this station, on the sensor and at the central server; the change is recorded.</source>
        <translation>L&apos;ancienne empreinte est supprimée sur ce poste, sur le capteur et sur le serveur central ; le changement est noté.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Back without changing anything.</source>
        <translation>Retour sans rien changer.</translation>
    </message>
    <message>
        <source>Remove this finger</source>
        <translation>Supprimer ce doigt</translation>
    </message>
    <message>
        <source>Deletes this finger&apos;s print (after a confirmation).</source>
        <translation>Supprime l&apos;empreinte de ce doigt (après une confirmation).</translation>
    </message>
    <message>
        <source>Enroll it again</source>
        <translation>L&apos;enregistrer de nouveau</translation>
    </message>
    <message>
        <source>Deletes the old print and captures the finger again (after a confirmation).</source>
        <translation>Supprime l&apos;ancienne empreinte et capture de nouveau le doigt (après une confirmation).</translation>
    </message>
    <message>
        <source>{finger} — {name}</source>
        <translation>{finger} — {name}</translation>
    </message>
    <message>
        <source>Enrolled on {when}; the central server has it.</source>
        <translation>Enregistré le {when} ; le serveur central l&apos;a reçu.</translation>
    </message>
    <message>
        <source>Enrolled on {when}; not yet at the central server.</source>
        <translation>Enregistré le {when} ; pas encore sur le serveur central.</translation>
    </message>
    <message>
        <source>Delete the old print of the {finger} and capture it again?</source>
        <translation>Supprimer l&apos;ancienne empreinte du doigt « {finger} » et le capturer de nouveau ?</translation>
    </message>
    <message>
        <source>Yes, enroll it again</source>
        <translation>Oui, l&apos;enregistrer de nouveau</translation>
    </message>
    <message>
        <source>Remove the {finger} of {name}? Its print is deleted everywhere.</source>
        <translation>Supprimer le doigt « {finger} » de {name} ? Son empreinte est effacée partout.</translation>
    </message>
    <message>
        <source>Yes, remove it</source>
        <translation>Oui, le supprimer</translation>
    </message>
</context>
<context>
    <name>MessageScreen</name>
    <message>
        <source>Starts the same finger again.</source>
        <translation>Relance le même doigt.</translation>
    </message>
    <message>
        <source>Back to the hand diagram to choose another finger.</source>
        <translation>Retour au schéma des mains pour choisir un autre doigt.</translation>
    </message>
    <message>
        <source>Back to the search for the next person.</source>
        <translation>Retour à la recherche pour la personne suivante.</translation>
    </message>
    <message>
        <source>Stops the capture still running, then starts again.</source>
        <translation>Arrête la capture encore en cours, puis recommence.</translation>
    </message>
    <message>
        <source>One more press to check the finger just saved.</source>
        <translation>Un appui de plus pour vérifier le doigt qui vient d&apos;être enregistré.</translation>
    </message>
    <message>
        <source>Deletes the finger just saved and captures it again.</source>
        <translation>Supprime le doigt qui vient d&apos;être enregistré et le capture de nouveau.</translation>
    </message>
    <message>
        <source>Back to this person&apos;s fingers.</source>
        <translation>Retour aux doigts de cette personne.</translation>
    </message>
</context>
<context>
    <name>OperatorsPage</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Opérateurs</translation>
    </message>
    <message>
        <source>Who may sign in at this desk.</source>
        <translation>Qui peut se connecter à ce guichet.</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <source>Stops or allows the selected operator signing in.</source>
        <translation>Bloque ou autorise la connexion de l&apos;opérateur choisi.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Débloquer</translation>
    </message>
    <message>
        <source>Lifts the lock after too many wrong PINs.</source>
        <translation>Lève le blocage après trop de codes PIN faux.</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>Nouveau code PIN</translation>
    </message>
    <message>
        <source>4 to 12 digits for the selected operator; Enter sets it.</source>
        <translation>4 à 12 chiffres pour l&apos;opérateur choisi ; Entrée l&apos;enregistre.</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Changer le code PIN</translation>
    </message>
    <message>
        <source>Gives the selected operator the new PIN.</source>
        <translation>Donne le nouveau code PIN à l&apos;opérateur choisi.</translation>
    </message>
    <message>
        <source>Add an operator (PIN: 4 to 12 digits). Operators enroll; administrators also see this area.</source>
        <translation>Ajouter un opérateur (code PIN de 4 à 12 chiffres). Les opérateurs enregistrent ; les administrateurs voient aussi cet espace.</translation>
    </message>
    <message>
        <source>New operator&apos;s name</source>
        <translation>Nom du nouvel opérateur</translation>
    </message>
    <message>
        <source>Enter adds the operator once the PIN is typed.</source>
        <translation>Entrée ajoute l&apos;opérateur une fois le code PIN tapé.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>New operator&apos;s PIN</source>
        <translation>Code PIN du nouvel opérateur</translation>
    </message>
    <message>
        <source>4 to 12 digits; Enter adds the operator.</source>
        <translation>4 à 12 chiffres ; Entrée ajoute l&apos;opérateur.</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <source>Operators enroll; administrators also see the admin area.</source>
        <translation>Les opérateurs enregistrent ; les administrateurs voient aussi l&apos;administration.</translation>
    </message>
    <message>
        <source>Add operator</source>
        <translation>Ajouter l&apos;opérateur</translation>
    </message>
    <message>
        <source>Adds the operator with this name, PIN and role.</source>
        <translation>Ajoute l&apos;opérateur avec ce nom, ce code PIN et ce rôle.</translation>
    </message>
    <message>
        <source>Locked for {n} min</source>
        <translation>Bloqué pour {n} min</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Activer</translation>
    </message>
    <message>
        <source>{name} can sign in again.</source>
        <translation>{name} peut de nouveau se connecter.</translation>
    </message>
    <message>
        <source>{name} can no longer sign in.</source>
        <translation>{name} ne peut plus se connecter.</translation>
    </message>
    <message>
        <source>{name} is unlocked.</source>
        <translation>{name} est débloqué.</translation>
    </message>
    <message>
        <source>Type a new PIN of 4 to 12 digits.</source>
        <translation>Tapez un nouveau code PIN de 4 à 12 chiffres.</translation>
    </message>
    <message>
        <source>{name}&apos;s PIN was changed.</source>
        <translation>Le code PIN de {name} a été changé.</translation>
    </message>
    <message>
        <source>Type a name and a PIN of 4 to 12 digits.</source>
        <translation>Tapez un nom et un code PIN de 4 à 12 chiffres.</translation>
    </message>
    <message>
        <source>{name} can now sign in.</source>
        <translation>{name} peut maintenant se connecter.</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <source>The path of the file; or use Choose.</source>
        <translation>Le chemin du fichier ; ou utilisez Choisir.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Opens a file picker for {name}.</source>
        <translation>Ouvre un sélecteur de fichier pour {name}.</translation>
    </message>
    <message>
        <source>Certificates and keys (*.pem *.crt *.cer *.key);;All files (*)</source>
        <translation>Certificats et clés (*.pem *.crt *.cer *.key);;Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>PersonScreen</name>
    <message>
        <source>To enroll a finger again or remove it, choose it on the diagram.</source>
        <translation>Pour enregistrer de nouveau un doigt ou le supprimer, choisissez-le sur le schéma.</translation>
    </message>
    <message>
        <source>Enroll another finger</source>
        <translation>Enregistrer un autre doigt</translation>
    </message>
    <message>
        <source>Adds one more finger to a person who is already done.</source>
        <translation>Ajoute un doigt de plus à une personne déjà terminée.</translation>
    </message>
    <message>
        <source>Next person</source>
        <translation>Personne suivante</translation>
    </message>
    <message>
        <source>Back to the search for the next person.</source>
        <translation>Retour à la recherche pour la personne suivante.</translation>
    </message>
    <message>
        <source>{name} ({id})</source>
        <translation>{name} ({id})</translation>
    </message>
    <message>
        <source>Already enrolled: {n} of {m} fingers</source>
        <translation>Déjà fait : {n}/{m} doigts</translation>
    </message>
    <message>
        <source>Already enrolled: {n} fingers</source>
        <translation>Déjà fait : {n} doigts</translation>
    </message>
    <message>
        <source>Nothing more to do. Every finger has reached the central server.</source>
        <translation>Plus rien à faire. Tous les doigts sont arrivés au serveur central.</translation>
    </message>
    <message>
        <source>Nothing more to do. Fingers still to be sent to the central server: {n}.</source>
        <translation>Plus rien à faire. Doigts encore à envoyer au serveur central : {n}.</translation>
    </message>
    <message>
        <source>Withdraw consent or delete…</source>
        <translation>Retirer le consentement ou supprimer…</translation>
    </message>
    <message>
        <source>When the person withdraws consent or asks for their prints to be deleted.</source>
        <translation>Quand la personne retire son consentement ou demande la suppression de ses empreintes.</translation>
    </message>
</context>
<context>
    <name>ReasonChoice</name>
    <message>
        <source>Why?</source>
        <translation>Pourquoi ?</translation>
    </message>
    <message>
        <source>Type the reason</source>
        <translation>Saisissez la raison</translation>
    </message>
    <message>
        <source>Another reason</source>
        <translation>Une autre raison</translation>
    </message>
    <message>
        <source>The reason, in a few words.</source>
        <translation>La raison, en quelques mots.</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <source>Fingerprint saved</source>
        <translation>Empreinte enregistrée</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Vérification</translation>
    </message>
    <message>
        <source>Saved on this station.</source>
        <translation>Enregistrée sur ce poste.</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Serveur central</translation>
    </message>
    <message>
        <source>{finger} — {n} of {m} fingers done.</source>
        <translation>{finger} — doigts faits : {n}/{m}.</translation>
    </message>
    <message>
        <source>Next finger</source>
        <translation>Doigt suivant</translation>
    </message>
    <message>
        <source>Chooses the next finger of this person.</source>
        <translation>Choisit le doigt suivant de cette personne.</translation>
    </message>
    <message>
        <source>Stop here, next person</source>
        <translation>Arrêter là, personne suivante</translation>
    </message>
    <message>
        <source>Leaves this person with fewer fingers than asked, for the next person.</source>
        <translation>Laisse cette personne avec moins de doigts que demandé, pour passer à la suivante.</translation>
    </message>
    <message>
        <source>One more finger is needed so a cut or plaster does not lock the person out.</source>
        <translation>Il faut un doigt de plus pour qu&apos;une coupure ou un pansement ne bloque pas la personne.</translation>
    </message>
    <message>
        <source>Next person</source>
        <translation>Personne suivante</translation>
    </message>
    <message>
        <source>Back to the search for the next person.</source>
        <translation>Retour à la recherche pour la personne suivante.</translation>
    </message>
    <message>
        <source>✓ Synced with the central server</source>
        <translation>✓ Envoyé au serveur central</translation>
    </message>
    <message>
        <source>Not sent: no central server is set up</source>
        <translation>Non envoyé : aucun serveur central configuré</translation>
    </message>
    <message>
        <source>Queued — sending to the central server…</source>
        <translation>En attente — envoi au serveur central…</translation>
    </message>
    <message>
        <source>Queued — will be sent when the server is back</source>
        <translation>En attente — sera envoyé au retour du serveur</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <source>No, go back</source>
        <translation>Non, revenir</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <source>Find the person</source>
        <translation>Trouver la personne</translation>
    </message>
    <message>
        <source>Type a name or an ID</source>
        <translation>Tapez un nom ou un identifiant</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Type part of a name or an ID; accents and capitals do not matter. Enter opens the person selected below.</source>
        <translation>Tapez une partie d&apos;un nom ou d&apos;un identifiant ; accents et majuscules ne comptent pas. Entrée ouvre la personne choisie ci-dessous.</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Groupe</translation>
    </message>
    <message>
        <source>Work through a class or group: lists its people and selects the next one not enrolled.</source>
        <translation>Passer une classe ou un groupe : affiche ses personnes et choisit la suivante non enregistrée.</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Tout le monde</translation>
    </message>
    <message>
        <source>Group progress</source>
        <translation>Avancement du groupe</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <source>Fingerprints</source>
        <translation>Empreintes</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personnes</translation>
    </message>
    <message>
        <source>The people found, with their fingerprints. Up and Down choose; Enter opens.</source>
        <translation>Les personnes trouvées, avec leurs empreintes. Haut et Bas choisissent ; Entrée ouvre.</translation>
    </message>
    <message>
        <source>Get the roster from the central server</source>
        <translation>Obtenir la liste du serveur central</translation>
    </message>
    <message>
        <source>Asks the central server for the list of people now.</source>
        <translation>Demande maintenant la liste des personnes au serveur central.</translation>
    </message>
    <message>
        <source>Next not enrolled</source>
        <translation>Suivant non enregistré</translation>
    </message>
    <message>
        <source>Selects the next person of the group who is not enrolled yet.</source>
        <translation>Choisit la personne suivante du groupe qui n&apos;est pas encore enregistrée.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>Opens the selected person.</source>
        <translation>Ouvre la personne choisie.</translation>
    </message>
    <message>
        <source>{group} ({n})</source>
        <translation>{group} ({n})</translation>
    </message>
    <message>
        <source>The roster cannot be read</source>
        <translation>La liste des personnes ne peut pas être lue</translation>
    </message>
    <message>
        <source>Before enrolling, this station needs the list of people. Get it from the central server with the button below, or ask an administrator to import a CSV file with:</source>
        <translation>Avant d&apos;enregistrer, ce poste a besoin de la liste des personnes. Obtenez-la du serveur central avec le bouton ci-dessous, ou demandez à un administrateur d&apos;importer un fichier CSV avec :</translation>
    </message>
    <message>
        <source>Before enrolling, this station needs the list of people. No central server is set up, so ask an administrator to import a CSV file with:</source>
        <translation>Avant d&apos;enregistrer, ce poste a besoin de la liste des personnes. Aucun serveur central n&apos;est configuré : demandez à un administrateur d&apos;importer un fichier CSV avec :</translation>
    </message>
    <message>
        <source>The roster is empty</source>
        <translation>La liste des personnes est vide</translation>
    </message>
    <message>
        <source>No one matches “{q}”</source>
        <translation>Personne ne correspond à « {q} »</translation>
    </message>
    <message>
        <source>Check the spelling, or search by ID.</source>
        <translation>Vérifiez l&apos;orthographe, ou cherchez par identifiant.</translation>
    </message>
    <message>
        <source>{group}: {done} done</source>
        <translation>{group} : {done} terminé(s)</translation>
    </message>
    <message>
        <source>{n} refused</source>
        <translation>{n} refus</translation>
    </message>
    <message>
        <source>{n} to go</source>
        <translation>{n} restant(s)</translation>
    </message>
    <message>
        <source>everyone is done</source>
        <translation>tout le monde est terminé</translation>
    </message>
</context>
<context>
    <name>SegmentedProgress</name>
    <message>
        <source>Capture progress</source>
        <translation>Avancement de la capture</translation>
    </message>
</context>
<context>
    <name>SelfTestPage</name>
    <message>
        <source>Checks the sensor, the database, the central server and the disk, and says in plain words what to do.</source>
        <translation>Vérifie le capteur, la base de données, le serveur central et le disque, et dit simplement quoi faire.</translation>
    </message>
    <message>
        <source>Run the self-test</source>
        <translation>Lancer l&apos;autotest</translation>
    </message>
    <message>
        <source>Checks the sensor, the database, the central server and the disk.</source>
        <translation>Vérifie le capteur, la base de données, le serveur central et le disque.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <source>Run the self-test again</source>
        <translation>Relancer l&apos;autotest</translation>
    </message>
</context>
<context>
    <name>SensorPage</name>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Templates stored</source>
        <translation>Modèles stockés</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Configured port</source>
        <translation>Port réglé</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>Débit (bauds)</translation>
    </message>
    <message>
        <source>Reconcile: compare the templates stored on the sensor with this station&apos;s records, and repair differences.</source>
        <translation>Rapprochement : comparer les modèles stockés sur le capteur avec les données de ce poste, et réparer les différences.</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparer</translation>
    </message>
    <message>
        <source>Compares the sensor&apos;s templates with this station&apos;s records; changes nothing.</source>
        <translation>Compare les modèles du capteur avec les données de ce poste ; ne change rien.</translation>
    </message>
    <message>
        <source>Repair the differences</source>
        <translation>Réparer les différences</translation>
    </message>
    <message>
        <source>Loads back or clears templates so the sensor matches the records (after a confirmation).</source>
        <translation>Recharge ou efface des modèles pour que le capteur corresponde aux données (après une confirmation).</translation>
    </message>
    <message>
        <source>Change the sensor so it matches this station&apos;s records? Templates the records do not know are cleared.</source>
        <translation>Modifier le capteur pour qu&apos;il corresponde aux données de ce poste ? Les modèles inconnus des données sont effacés.</translation>
    </message>
    <message>
        <source>Yes, repair</source>
        <translation>Oui, réparer</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>En cours…</translation>
    </message>
    <message>
        <source>The sensor could not be compared: {e}</source>
        <translation>Le capteur n&apos;a pas pu être comparé : {e}</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Off</source>
        <translation>Désactivée</translation>
    </message>
    <message>
        <source>After each person&apos;s last finger</source>
        <translation>Après le dernier doigt de chaque personne</translation>
    </message>
    <message>
        <source>After every finger</source>
        <translation>Après chaque doigt</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Sections</translation>
    </message>
    <message>
        <source>The groups of settings; Up and Down move between them.</source>
        <translation>Les groupes de réglages ; Haut et Bas passent de l&apos;un à l&apos;autre.</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Guichet</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>Nom du poste</translation>
    </message>
    <message>
        <source>Shown in the top bar.</source>
        <translation>Affiché dans la barre du haut.</translation>
    </message>
    <message>
        <source>Station ID</source>
        <translation>Identifiant du poste</translation>
    </message>
    <message>
        <source>How the central server knows this station.</source>
        <translation>Le nom de ce poste pour le serveur central.</translation>
    </message>
    <message>
        <source>The computer&apos;s language</source>
        <translation>La langue de l&apos;ordinateur</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>The desk&apos;s language at start; each operator can change it when signing in.</source>
        <translation>La langue du guichet au démarrage ; chaque opérateur peut la changer en se connectant.</translation>
    </message>
    <message>
        <source>Sounds: a tick per press, a chime when saved</source>
        <translation>Sons : un clic par appui, un carillon à l&apos;enregistrement</translation>
    </message>
    <message>
        <source>Sounds on or off.</source>
        <translation>Sons activés ou non.</translation>
    </message>
    <message>
        <source>Sign out when idle for</source>
        <translation>Déconnexion après inactivité de</translation>
    </message>
    <message>
        <source>Seconds without anyone touching the desk before it signs out (with a warning).</source>
        <translation>Secondes sans que personne ne touche le guichet avant la déconnexion (avec un avertissement).</translation>
    </message>
    <message>
        <source>Full screen, exit only with an administrator PIN</source>
        <translation>Plein écran, sortie seulement avec un code PIN administrateur</translation>
    </message>
    <message>
        <source>Kiosk mode on or off.</source>
        <translation>Mode kiosque activé ou non.</translation>
    </message>
    <message>
        <source>Enrollment</source>
        <translation>Enregistrement</translation>
    </message>
    <message>
        <source>Fingers per person</source>
        <translation>Doigts par personne</translation>
    </message>
    <message>
        <source>How many fingers make a person done.</source>
        <translation>Combien de doigts terminent une personne.</translation>
    </message>
    <message>
        <source>Check after enrollment</source>
        <translation>Vérification après l&apos;enregistrement</translation>
    </message>
    <message>
        <source>One more press, found by the sensor&apos;s search as a reader will find it.</source>
        <translation>Un appui de plus, retrouvé par la recherche du capteur comme le fera un lecteur.</translation>
    </message>
    <message>
        <source>Wait for a finger</source>
        <translation>Attente d&apos;un doigt</translation>
    </message>
    <message>
        <source>Seconds the sensor waits for each press; the capture screen counts down.</source>
        <translation>Secondes d&apos;attente du capteur pour chaque appui ; l&apos;écran de capture les décompte.</translation>
    </message>
    <message>
        <source>Consent notice</source>
        <translation>Notice de consentement</translation>
    </message>
    <message>
        <source>Notice language</source>
        <translation>Langue de la notice</translation>
    </message>
    <message>
        <source>Which language&apos;s notice is shown below.</source>
        <translation>La notice de quelle langue est affichée ci-dessous.</translation>
    </message>
    <message>
        <source>Notice version</source>
        <translation>Version de la notice</translation>
    </message>
    <message>
        <source>Change it whenever the text changes: each consent records it.</source>
        <translation>Changez-la chaque fois que le texte change : chaque consentement l&apos;enregistre.</translation>
    </message>
    <message>
        <source>What the person reads before consenting.</source>
        <translation>Ce que la personne lit avant de consentir.</translation>
    </message>
    <message>
        <source>Alternative if refused</source>
        <translation>Solution en cas de refus</translation>
    </message>
    <message>
        <source>What is offered to someone who says no.</source>
        <translation>Ce qui est proposé à qui dit non.</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>Capteur</translation>
    </message>
    <message>
        <source>Find it automatically</source>
        <translation>Le trouver automatiquement</translation>
    </message>
    <message>
        <source>USB port</source>
        <translation>Port USB</translation>
    </message>
    <message>
        <source>Where the sensor is plugged in; automatic finds it by itself.</source>
        <translation>Où le capteur est branché ; en automatique, le poste le trouve tout seul.</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Tester</translation>
    </message>
    <message>
        <source>Asks the port whether a sensor answers.</source>
        <translation>Demande au port si un capteur répond.</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Serveur central</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <source>The central server&apos;s address, from its administrator.</source>
        <translation>L&apos;adresse du serveur central, donnée par son administrateur.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nom d&apos;utilisateur</translation>
    </message>
    <message>
        <source>This station&apos;s login.</source>
        <translation>L&apos;identifiant de connexion de ce poste.</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored password</source>
        <translation>Laissez vide pour garder le mot de passe enregistré</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Kept in the station&apos;s secret store, not in the settings file.</source>
        <translation>Gardé dans le coffre secret du poste, pas dans le fichier des réglages.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <source>One login with the settings as typed, not yet saved.</source>
        <translation>Une connexion avec les réglages tels que tapés, pas encore enregistrés.</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>Certificats</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>Fichier de l&apos;autorité (CA)</translation>
    </message>
    <message>
        <source>The central server&apos;s CA certificate</source>
        <translation>Le certificat CA du serveur central</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Certificat du poste</translation>
    </message>
    <message>
        <source>This station&apos;s certificate</source>
        <translation>Le certificat de ce poste</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>Clé du poste</translation>
    </message>
    <message>
        <source>This station&apos;s private key</source>
        <translation>La clé privée de ce poste</translation>
    </message>
    <message>
        <source>Usually set by the provisioning file from the central server.</source>
        <translation>Réglé d&apos;habitude par le fichier de mise en service du serveur central.</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Enregistrer les réglages</translation>
    </message>
    <message>
        <source>Writes every section to the settings file; they apply after a restart.</source>
        <translation>Écrit toutes les sections dans le fichier des réglages ; elles s&apos;appliquent après un redémarrage.</translation>
    </message>
    <message>
        <source>Changes apply after a restart.</source>
        <translation>Les changements s&apos;appliquent après un redémarrage.</translation>
    </message>
    <message>
        <source>Asking {port}…</source>
        <translation>Interrogation de {port}…</translation>
    </message>
    <message>
        <source>✓ {port} is in use by the station — it answers ({model}).</source>
        <translation>✓ {port} est utilisé par le poste — il répond ({model}).</translation>
    </message>
    <message>
        <source>sensor</source>
        <translation>capteur</translation>
    </message>
    <message>
        <source>✓ A sensor answers on {port}. {message}</source>
        <translation>✓ Un capteur répond sur {port}. {message}</translation>
    </message>
    <message>
        <source>✗ No working sensor on {port}: {message}</source>
        <translation>✗ Aucun capteur qui fonctionne sur {port} : {message}</translation>
    </message>
    <message>
        <source>Type the server address first.</source>
        <extracomment>The key this station already trusts (&quot;&quot; on a station never provisioned).</extracomment>
        <translation>Tapez d&apos;abord l&apos;adresse du serveur.</translation>
    </message>
    <message>
        <source>Connecting to {url}…</source>
        <translation>Connexion à {url}…</translation>
    </message>
    <message>
        <source>✓ Connected: the server accepted the station&apos;s login.</source>
        <translation>✓ Connecté : le serveur a accepté l&apos;identification du poste.</translation>
    </message>
    <message>
        <source>✗ The server refused this user name and password.</source>
        <translation>✗ Le serveur a refusé ce nom d&apos;utilisateur et ce mot de passe.</translation>
    </message>
    <message>
        <source>✗ Secure connection failed (certificate or CA file): {t}</source>
        <translation>✗ La connexion sécurisée a échoué (certificat ou fichier CA) : {t}</translation>
    </message>
    <message>
        <source>✗ These settings cannot work: {t}</source>
        <extracomment>Why it was refused (&quot;&quot; when it worked); nothing was changed then.</extracomment>
        <translation>✗ Ces réglages ne peuvent pas fonctionner : {t}</translation>
    </message>
    <message>
        <source>✗ Cannot reach the server: {t}. Check the address and the network.</source>
        <extracomment>The settings as written, for restarting sync. How many audit entries a report reads at most to find the checks after enrollment. Everyone the policy says must go, oldest first. Of those, the ones deleted now (empty on a dry run). Sensor slots still to clear (the sensor is not connected), over all deletions. Header spellings seen in registrar and HR exports → our column. How the header was understood, e.g. ``{&quot;student_id&quot;: &quot;external_id&quot;}`` (renamed only). The text encoding the file was read with. Third-party modules the frozen build must carry (import name, why it matters). Packages whose every submodule is imported; migration scripts are data, not modules. The probe&apos;s own explanation (English, technical), for the admin page and the log. The engine&apos;s outcome as the attempt record (and central&apos;s figures) keep it. The last delivery error, or central&apos;s rejection reason. &gt; 0 while a pending row waits on back-off. After central&apos;s deletion request removed templates (non-blocking; see SyncWorker). What the heartbeat tells central about the sensor (no I/O: the last known state). A password given for this run (``kiosk sync --password-file``) instead of the store&apos;s. The translation context of every catalogue string. New central-server settings are in use (after provisioning). The tab each page is on (the self-test and the diagnostics bundle share one). The signed-in administrator, named in the audit log for every change made here. Headings for the steps ``kiosk provision`` reports (translated where shown). New settings are in use (sync restarted): the window refreshes its status bar. Who is signed in (named in the audit log for every change an admin page makes). Retry and failure codes in the words of the desk (the codes stay in the CSV and JSON). The check after enrollment, in words (the policy&apos;s values in the settings file).</extracomment>
        <translation>✗ Impossible de joindre le serveur : {t}. Vérifiez l&apos;adresse et le réseau.</translation>
    </message>
    <message>
        <source>Saved. Restart the program to use them.</source>
        <translation>Enregistrés. Relancez le programme pour les utiliser.</translation>
    </message>
    <message>
        <source>Not saved: {e}</source>
        <translation>Non enregistré : {e}</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Your name in the list of operators.</source>
        <translation>Votre nom dans la liste des opérateurs.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
    <message>
        <source>The first administrator&apos;s name, as colleagues will see it.</source>
        <translation>Le nom du premier administrateur, tel que les collègues le verront.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>At least 4 digits. Enter signs in.</source>
        <translation>Au moins 4 chiffres. Entrée connecte.</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>Code PIN encore</translation>
    </message>
    <message>
        <source>The same PIN once more.</source>
        <translation>Le même code PIN, encore une fois.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>The language of the desk for this session.</source>
        <translation>La langue du guichet pour cette séance.</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Create the first administrator</source>
        <translation>Créer le premier administrateur</translation>
    </message>
    <message>
        <source>This station has no operators yet. The first account is an administrator who can add the others.</source>
        <translation>Ce poste n&apos;a encore aucun opérateur. Le premier compte est un administrateur qui peut ajouter les autres.</translation>
    </message>
    <message>
        <source>Choose your name and type your PIN.</source>
        <translation>Choisissez votre nom et tapez votre code PIN.</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>Créer l&apos;administrateur</translation>
    </message>
    <message>
        <source>Creates the account and signs it in.</source>
        <translation>Crée le compte et le connecte.</translation>
    </message>
    <message>
        <source>Signs in with the chosen name and PIN.</source>
        <translation>Connecte avec le nom et le code PIN choisis.</translation>
    </message>
    <message>
        <source>That did not work: {e}</source>
        <translation>Cela n&apos;a pas fonctionné : {e}</translation>
    </message>
    <message>
        <source>The PIN is at least 4 digits.</source>
        <translation>Le code PIN a au moins 4 chiffres.</translation>
    </message>
    <message>
        <source>Type your name.</source>
        <translation>Tapez votre nom.</translation>
    </message>
    <message>
        <source>The two PINs are different. Type them again.</source>
        <translation>Les deux codes PIN sont différents. Tapez-les de nouveau.</translation>
    </message>
    <message>
        <source>Wrong PIN. {n} tries left before a short lock.</source>
        <translation>Code PIN faux. Encore {n} essais avant un court blocage.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Code PIN faux.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {s} seconds, or ask an administrator.</source>
        <translation>Trop de codes PIN faux. Réessayez dans {s} secondes, ou demandez à un administrateur.</translation>
    </message>
</context>
<context>
    <name>SimBanner</name>
    <message>
        <source>SIMULATED SENSOR — training mode: nothing captured here is a real fingerprint</source>
        <translation>CAPTEUR SIMULÉ — mode formation : rien de ce qui est capturé ici n&apos;est une vraie empreinte</translation>
    </message>
</context>
<context>
    <name>SimPanel</name>
    <message>
        <source>Simulated person</source>
        <extracomment>The simulated person&apos;s panel: wide enough for its buttons&apos; words in every language.</extracomment>
        <translation>Personne simulée</translation>
    </message>
    <message>
        <source>Simulated finger</source>
        <translation>Doigt simulé</translation>
    </message>
    <message>
        <source>The finger the buttons below place and press.</source>
        <translation>Le doigt que les boutons ci-dessous posent et appuient.</translation>
    </message>
    <message>
        <source>Place this finger</source>
        <translation>Poser ce doigt</translation>
    </message>
    <message>
        <source>Press and lift</source>
        <translation>Appuyer et lever</translation>
    </message>
    <message>
        <source>Lift</source>
        <translation>Lever</translation>
    </message>
    <message>
        <source>Lift too early</source>
        <translation>Lever trop tôt</translation>
    </message>
    <message>
        <source>Place a different finger</source>
        <translation>Poser un autre doigt</translation>
    </message>
    <message>
        <source>Next capture messy</source>
        <translation>Prochaine capture floue</translation>
    </message>
    <message>
        <source>Puts the chosen finger on the sensor and keeps it there.</source>
        <translation>Pose le doigt choisi sur le capteur et l&apos;y laisse.</translation>
    </message>
    <message>
        <source>Puts the chosen finger on the sensor, then lifts it.</source>
        <translation>Pose le doigt choisi sur le capteur, puis le lève.</translation>
    </message>
    <message>
        <source>Lifts the finger off the sensor.</source>
        <translation>Lève le doigt du capteur.</translation>
    </message>
    <message>
        <source>Touches the sensor and lifts before the print is read.</source>
        <translation>Touche le capteur et se lève avant la lecture de l&apos;empreinte.</translation>
    </message>
    <message>
        <source>Places a finger that is not the one being enrolled.</source>
        <translation>Pose un doigt qui n&apos;est pas celui qu&apos;on enregistre.</translation>
    </message>
    <message>
        <source>Places a finger enrolled earlier in this session.</source>
        <translation>Pose un doigt enregistré plus tôt dans cette séance.</translation>
    </message>
    <message>
        <source>The next capture comes out smudged.</source>
        <translation>La prochaine capture sort floue.</translation>
    </message>
    <message>
        <source>Unplug the sensor</source>
        <translation>Débrancher le capteur</translation>
    </message>
    <message>
        <source>Plug the sensor back in</source>
        <translation>Rebrancher le capteur</translation>
    </message>
    <message>
        <source>Pulls the simulated USB cable.</source>
        <translation>Débranche le câble USB simulé.</translation>
    </message>
    <message>
        <source>Plugs the simulated USB cable back in.</source>
        <translation>Rebranche le câble USB simulé.</translation>
    </message>
    <message>
        <source>Messy capture armed</source>
        <translation>Capture floue préparée</translation>
    </message>
    <message>
        <source>Acting as: {p}, {f}</source>
        <translation>Joue : {p}, {f}</translation>
    </message>
    <message>
        <source>Start a capture first.</source>
        <translation>Lancez d&apos;abord une capture.</translation>
    </message>
    <message>
        <source>Place a saved finger</source>
        <translation>Poser un doigt enregistré</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Sensor</source>
        <translation>Capteur</translation>
    </message>
    <message>
        <source>Administrators: opens the sensor page.</source>
        <translation>Administrateurs : ouvre la page du capteur.</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Serveur central</translation>
    </message>
    <message>
        <source>Administrators: opens the sync queue.</source>
        <translation>Administrateurs : ouvre la file d&apos;envoi.</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>En attente d&apos;envoi</translation>
    </message>
</context>
<context>
    <name>SyncQueuePage</name>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Personne</translation>
    </message>
    <message>
        <source>Finger</source>
        <translation>Doigt</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Essais</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Âge</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <source>Waiting for the central server</source>
        <translation>En attente du serveur central</translation>
    </message>
    <message>
        <source>Each message not yet received by the central server, with why.</source>
        <translation>Chaque message pas encore reçu par le serveur central, avec la raison.</translation>
    </message>
    <message>
        <source>Nothing is waiting: everything this station recorded has reached the central server.</source>
        <translation>Rien n&apos;attend : tout ce que ce poste a enregistré est arrivé au serveur central.</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Envoyer maintenant</translation>
    </message>
    <message>
        <source>Sends what is waiting and fetches the roster now.</source>
        <translation>Envoie ce qui attend et récupère la liste maintenant.</translation>
    </message>
    <message>
        <source>Retry selected now</source>
        <translation>Renvoyer la sélection</translation>
    </message>
    <message>
        <source>Sends the selected messages again now.</source>
        <translation>Renvoie maintenant les messages choisis.</translation>
    </message>
    <message>
        <source>Retry all now</source>
        <translation>Tout renvoyer maintenant</translation>
    </message>
    <message>
        <source>Sends every waiting or refused message again now.</source>
        <translation>Renvoie maintenant tous les messages en attente ou refusés.</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>En attente d&apos;envoi</translation>
    </message>
    <message>
        <source>Sent, waiting for the server&apos;s receipt</source>
        <translation>Envoyés, en attente de l&apos;accusé du serveur</translation>
    </message>
    <message>
        <source>Rejected by the central server</source>
        <translation>Refusés par le serveur central</translation>
    </message>
    <message>
        <source>Received by the central server</source>
        <translation>Reçus par le serveur central</translation>
    </message>
    <message>
        <source>Oldest waiting for</source>
        <translation>Plus ancien en attente depuis</translation>
    </message>
    <message>
        <source>Last successful sync</source>
        <translation>Dernier envoi réussi</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} jours</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Sent, no receipt yet</source>
        <translation>Envoyé, sans accusé de réception</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Empreinte</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Consentement</translation>
    </message>
    <message>
        <source>Deletion receipt</source>
        <translation>Reçu de suppression</translation>
    </message>
    <message>
        <source>{reason} · next try in {t}</source>
        <translation>{reason} · prochain essai dans {t}</translation>
    </message>
    <message>
        <source>Reason: {r}</source>
        <translation>Raison : {r}</translation>
    </message>
    <message>
        <source>{n} message(s) will be sent now.</source>
        <translation>{n} message(s) vont être envoyés maintenant.</translation>
    </message>
    <message>
        <source>No central server is set up: import a provisioning file on the Central server page.</source>
        <translation>Aucun serveur central n&apos;est configuré : importez un fichier de mise en service sur la page Serveur central.</translation>
    </message>
    <message>
        <source>Enrollment record</source>
        <translation>Dossier d&apos;inscription</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Journal d&apos;audit</translation>
    </message>
    <message>
        <source>Sensor slots still to clear</source>
        <translation>Emplacements du capteur encore à effacer</translation>
    </message>
    <message>
        <source>Deleted prints still on the sensor: {n} (slots {slots}). They are cleared as soon as the sensor is connected; central hears it then.</source>
        <translation>Empreintes supprimées encore sur le capteur : {n} (emplacements {slots}). Elles sont effacées dès que le capteur est branché ; le serveur central en est alors informé.</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>The administrator&apos;s pages: self-test, settings, figures, operators.</source>
        <translation>Les pages de l&apos;administrateur : autotest, réglages, chiffres, opérateurs.</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Signs you out; the next operator starts from an empty desk.</source>
        <translation>Vous déconnecte ; l&apos;opérateur suivant trouve un guichet vide.</translation>
    </message>
    <message>
        <source>Operator: {name}</source>
        <translation>Opérateur : {name}</translation>
    </message>
    <message>
        <source>Finish or cancel the capture first.</source>
        <translation>Terminez ou annulez d&apos;abord la capture.</translation>
    </message>
</context>
<context>
    <name>kiosk</name>
    <message>
        <source>Fingerprint sensor</source>
        <extracomment>How long a deletion waits for the sensor worker to clear the slots now. Sensor slots the deleted templates occupied. Of those, the ones still to clear (the sensor is not connected). Tells sync there is a receipt to send (called after every deletion). Sensor slots whose templates were deleted here and are still to be cleared. The audit trail&apos;s hash chain, walked entry by entry. Templates that no longer open with the station&apos;s key (damaged inside the file). Rows a search returns: more than fit on the screen is only slower; typing narrows it down. The newest record may be this far &quot;in the future&quot; before the clock is called wrong. Earliest plausible date: a clock before this has lost its battery/NTP.</extracomment>
        <translation>Capteur d&apos;empreintes</translation>
    </message>
    <message>
        <source>Simulated sensor answers ({where}). This is training mode, not a real sensor.</source>
        <translation>Le capteur simulé répond ({where}). C&apos;est le mode formation, pas un vrai capteur.</translation>
    </message>
    <message>
        <source>The sensor answers ({where}).</source>
        <translation>Le capteur répond ({where}).</translation>
    </message>
    <message>
        <source>The sensor reports a problem.</source>
        <translation>Le capteur signale un problème.</translation>
    </message>
    <message>
        <source>Plug the sensor&apos;s USB cable in. The station finds it by itself within a few seconds; no restart is needed.</source>
        <translation>Branchez le câble USB du capteur. Le poste le trouve tout seul en quelques secondes ; inutile de redémarrer.</translation>
    </message>
    <message>
        <source>Check the USB cable and that the sensor&apos;s light is on. If a port is set by hand in the settings, check it, or set it back to automatic (kiosk sensor list shows what is plugged in).</source>
        <translation>Vérifiez le câble USB et que le voyant du capteur est allumé. Si un port est réglé à la main dans les réglages, vérifiez-le ou remettez-le en automatique (kiosk sensor list montre ce qui est branché).</translation>
    </message>
    <message>
        <source>Unplug the sensor, plug it back in, and run the self-test again.</source>
        <translation>Débranchez le capteur, rebranchez-le et relancez l&apos;autotest.</translation>
    </message>
    <message>
        <source>Sensor and database</source>
        <translation>Capteur et base de données</translation>
    </message>
    <message>
        <source>Not compared: the sensor is not connected.</source>
        <translation>Non comparé : le capteur n&apos;est pas branché.</translation>
    </message>
    <message>
        <source>Connect the sensor and run the check again.</source>
        <translation>Branchez le capteur et relancez la vérification.</translation>
    </message>
    <message>
        <source>Repair on the Sensor page of the admin area, or run: kiosk sensor reconcile --repair</source>
        <translation>Réparez sur la page Capteur de l&apos;administration, ou lancez : kiosk sensor reconcile --repair</translation>
    </message>
    <message>
        <source>Station database</source>
        <translation>Base de données du poste</translation>
    </message>
    <message>
        <source>The database cannot be read: {error}</source>
        <translation>La base de données ne peut pas être lue : {error}</translation>
    </message>
    <message>
        <source>The database answers ({ms} ms) but the roster is empty.</source>
        <translation>La base de données répond ({ms} ms) mais la liste des personnes est vide.</translation>
    </message>
    <message>
        <source>Get the roster from the central server, or import a CSV file with kiosk roster import FILE.csv.</source>
        <translation>Obtenez la liste des personnes du serveur central, ou importez un fichier CSV avec kiosk roster import FICHIER.csv.</translation>
    </message>
    <message>
        <source>The database answers ({n} people, {ms} ms).</source>
        <translation>La base de données répond ({n} personnes, {ms} ms).</translation>
    </message>
    <message>
        <source>Export the diagnostics bundle and call support.</source>
        <translation>Exportez le dossier de diagnostic et appelez l&apos;assistance.</translation>
    </message>
    <message>
        <source>The broker refused this station&apos;s login: ask central for a new provisioning file (kiosk provision FILE).</source>
        <translation>Le serveur de messages a refusé l&apos;identification de ce poste : demandez au serveur central un nouveau fichier de mise en service (kiosk provision FICHIER).</translation>
    </message>
    <message>
        <source>The broker&apos;s certificate was not accepted: re-import the provisioning file, or check the CA file in the settings.</source>
        <translation>Le certificat du serveur de messages n&apos;a pas été accepté : importez de nouveau le fichier de mise en service, ou vérifiez le fichier CA dans les réglages.</translation>
    </message>
    <message>
        <source>The sync settings are incomplete: import a provisioning file (kiosk provision FILE).</source>
        <translation>Les réglages d&apos;envoi sont incomplets : importez un fichier de mise en service (kiosk provision FICHIER).</translation>
    </message>
    <message>
        <source>Check the network cable or Wi-Fi of this station.</source>
        <translation>Vérifiez le câble réseau ou le Wi-Fi de ce poste.</translation>
    </message>
    <message>
        <source>Check the network; if other stations are also offline, the central broker is down — tell central&apos;s administrator.</source>
        <translation>Vérifiez le réseau ; si d&apos;autres postes sont aussi hors ligne, le serveur de messages central est arrêté — prévenez l&apos;administrateur du serveur central.</translation>
    </message>
    <message>
        <source>The broker refused the connection: tell central&apos;s administrator.</source>
        <translation>Le serveur de messages a refusé la connexion : prévenez l&apos;administrateur du serveur central.</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Serveur central</translation>
    </message>
    <message>
        <source>No central server is set up: enrollments stay on this station.</source>
        <translation>Aucun serveur central n&apos;est configuré : les enregistrements restent sur ce poste.</translation>
    </message>
    <message>
        <source>To sync, import a provisioning file: kiosk provision FILE.</source>
        <translation>Pour envoyer, importez un fichier de mise en service : kiosk provision FICHIER.</translation>
    </message>
    <message>
        <source>{n} enrollment(s) waiting to be sent.</source>
        <translation>{n} enregistrement(s) en attente d&apos;envoi.</translation>
    </message>
    <message>
        <source>Connected to the central server. {waiting}</source>
        <translation>Connecté au serveur central. {waiting}</translation>
    </message>
    <message>
        <source>Still connecting to the central server. {waiting}</source>
        <translation>Connexion au serveur central en cours. {waiting}</translation>
    </message>
    <message>
        <source>Run the check again in a minute; if it stays like this, check the network.</source>
        <translation>Relancez la vérification dans une minute ; si rien ne change, vérifiez le réseau.</translation>
    </message>
    <message>
        <source>Not connected to the central server ({reason}: {detail}). Enrollments are kept on this station and sent when it is back. {waiting}</source>
        <translation>Pas de connexion au serveur central ({reason} : {detail}). Les enregistrements restent sur ce poste et partent quand il revient. {waiting}</translation>
    </message>
    <message>
        <source>Disk space</source>
        <translation>Espace disque</translation>
    </message>
    <message>
        <source>The data folder cannot be checked: {error}</source>
        <translation>Le dossier des données ne peut pas être vérifié : {error}</translation>
    </message>
    <message>
        <source>Check that the data folder exists and the disk is present.</source>
        <translation>Vérifiez que le dossier des données existe et que le disque est présent.</translation>
    </message>
    <message>
        <source>Only {gb} GB free. New enrollments may fail.</source>
        <translation>Seulement {gb} Go libres. De nouveaux enregistrements peuvent échouer.</translation>
    </message>
    <message>
        <source>Free some space on the disk that holds the data folder.</source>
        <translation>Libérez de la place sur le disque du dossier des données.</translation>
    </message>
    <message>
        <source>{gb} GB free — enough for now, but getting low.</source>
        <translation>{gb} Go libres — assez pour l&apos;instant, mais cela baisse.</translation>
    </message>
    <message>
        <source>{gb} GB free.</source>
        <translation>{gb} Go libres.</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Horloge</translation>
    </message>
    <message>
        <source>Set the date and time of this PC (and turn on automatic time), then run the check again.</source>
        <translation>Réglez la date et l&apos;heure de cet ordinateur (et activez l&apos;heure automatique), puis relancez la vérification.</translation>
    </message>
    <message>
        <source>The clock says {time} UTC, which cannot be right.</source>
        <translation>L&apos;horloge indique {time} UTC, ce qui ne peut pas être juste.</translation>
    </message>
    <message>
        <source>The clock ({time} UTC) is behind the newest record ({newest} UTC).</source>
        <translation>L&apos;horloge ({time} UTC) est en retard sur l&apos;enregistrement le plus récent ({newest} UTC).</translation>
    </message>
    <message>
        <source>The clock says {time} UTC.</source>
        <translation>L&apos;horloge indique {time} UTC.</translation>
    </message>
    <message>
        <source>Log files</source>
        <translation>Journaux</translation>
    </message>
    <message>
        <source>The log folder cannot be written: {error}</source>
        <translation>Le dossier des journaux n&apos;est pas accessible en écriture : {error}</translation>
    </message>
    <message>
        <source>Check the permissions of the data folder.</source>
        <translation>Vérifiez les droits du dossier des données.</translation>
    </message>
    <message>
        <source>The log folder is writable.</source>
        <translation>Le dossier des journaux est accessible en écriture.</translation>
    </message>
    <message>
        <source>The check itself failed: {error}</source>
        <translation>La vérification elle-même a échoué : {error}</translation>
    </message>
    <message>
        <source>right thumb</source>
        <translation>pouce droit</translation>
    </message>
    <message>
        <source>right index finger</source>
        <translation>index droit</translation>
    </message>
    <message>
        <source>right middle finger</source>
        <translation>majeur droit</translation>
    </message>
    <message>
        <source>right ring finger</source>
        <translation>annulaire droit</translation>
    </message>
    <message>
        <source>right little finger</source>
        <translation>auriculaire droit</translation>
    </message>
    <message>
        <source>left thumb</source>
        <translation>pouce gauche</translation>
    </message>
    <message>
        <source>left index finger</source>
        <translation>index gauche</translation>
    </message>
    <message>
        <source>left middle finger</source>
        <translation>majeur gauche</translation>
    </message>
    <message>
        <source>left ring finger</source>
        <translation>annulaire gauche</translation>
    </message>
    <message>
        <source>left little finger</source>
        <translation>auriculaire gauche</translation>
    </message>
    <message>
        <source>Lift your finger</source>
        <translation>Levez le doigt</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <source>Let&apos;s start this finger again. Lift your {finger}.</source>
        <translation>Recommençons ce doigt. Levez votre {finger}.</translation>
    </message>
    <message>
        <source>Place your {finger} on the sensor</source>
        <translation>Posez votre {finger} sur le capteur</translation>
    </message>
    <message>
        <source>Place your {finger} again</source>
        <translation>Posez encore votre {finger}</translation>
    </message>
    <message>
        <source>Place your {finger} one last time</source>
        <translation>Posez votre {finger} une dernière fois</translation>
    </message>
    <message>
        <source>Again: place your {finger}</source>
        <translation>Encore : posez votre {finger}</translation>
    </message>
    <message>
        <source>The sensor could not read the finger. Place it flat and still.</source>
        <translation>Le capteur n&apos;a pas pu lire le doigt. Posez-le à plat, sans bouger.</translation>
    </message>
    <message>
        <source>The print is too faint. Press a little harder.</source>
        <translation>L&apos;empreinte est trop pâle. Appuyez un peu plus fort.</translation>
    </message>
    <message>
        <source>The print is smudged. Dry the finger and wipe the glass.</source>
        <translation>L&apos;empreinte est brouillée. Séchez le doigt et essuyez la vitre.</translation>
    </message>
    <message>
        <source>The print is unclear. Wipe the glass and place the finger again.</source>
        <translation>L&apos;empreinte est floue. Essuyez la vitre et posez de nouveau le doigt.</translation>
    </message>
    <message>
        <source>Press flatter so the finger covers the window.</source>
        <translation>Appuyez plus à plat pour que le doigt couvre la vitre.</translation>
    </message>
    <message>
        <source>That was a different finger. Use the same finger each time.</source>
        <translation>C&apos;était un autre doigt. Utilisez le même doigt à chaque fois.</translation>
    </message>
    <message>
        <source>The print was not clear enough. Place the finger again, flat.</source>
        <translation>L&apos;empreinte n&apos;était pas assez nette. Posez de nouveau le doigt, bien à plat.</translation>
    </message>
    <message>
        <source>The presses did not fit together. Use the same finger each time.</source>
        <translation>Les appuis ne vont pas ensemble. Utilisez le même doigt à chaque fois.</translation>
    </message>
    <message>
        <source>Nothing was saved for this finger.</source>
        <translation>Rien n&apos;a été enregistré pour ce doigt.</translation>
    </message>
    <message>
        <source>Fingerprint saved</source>
        <translation>Empreinte enregistrée</translation>
    </message>
    <message>
        <source>The {finger} is saved on this station.</source>
        <translation>Le doigt « {finger} » est enregistré sur ce poste.</translation>
    </message>
    <message>
        <source>This finger is already registered</source>
        <translation>Ce doigt est déjà enregistré</translation>
    </message>
    <message>
        <source>Please ask the supervisor.</source>
        <translation>Veuillez demander au responsable.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>No finger was placed</source>
        <translation>Aucun doigt n&apos;a été posé</translation>
    </message>
    <message>
        <source>The sensor waited {seconds} seconds for the finger. Nothing was saved for this finger.</source>
        <translation>Le capteur a attendu le doigt {seconds} secondes. Rien n&apos;a été enregistré pour ce doigt.</translation>
    </message>
    <message>
        <source>Start again when the person is ready.</source>
        <translation>Recommencez quand la personne est prête.</translation>
    </message>
    <message>
        <source>The finger stayed on the sensor</source>
        <translation>Le doigt est resté sur le capteur</translation>
    </message>
    <message>
        <source>Each press needs the finger lifted in between. Nothing was saved for this finger.</source>
        <translation>Il faut lever le doigt entre deux appuis. Rien n&apos;a été enregistré pour ce doigt.</translation>
    </message>
    <message>
        <source>Lift the finger, then start again.</source>
        <translation>Levez le doigt, puis recommencez.</translation>
    </message>
    <message>
        <source>The sensor was unplugged</source>
        <translation>Le capteur a été débranché</translation>
    </message>
    <message>
        <source>“Try again” turns on as soon as the sensor is back.</source>
        <translation>« Réessayer » s&apos;active dès que le capteur est de retour.</translation>
    </message>
    <message>
        <source>The sensor is not connected</source>
        <translation>Le capteur n&apos;est pas branché</translation>
    </message>
    <message>
        <source>Plug the sensor in; “Try again” turns on as soon as the station sees it.</source>
        <translation>Branchez le capteur ; « Réessayer » s&apos;active dès que le poste le voit.</translation>
    </message>
    <message>
        <source>This finger could not be enrolled</source>
        <translation>Ce doigt n&apos;a pas pu être enregistré</translation>
    </message>
    <message>
        <source>Too many unclear presses. {why} Nothing was saved for this finger.</source>
        <translation>Trop d&apos;appuis flous. {why} Rien n&apos;a été enregistré pour ce doigt.</translation>
    </message>
    <message>
        <source>Try another finger, or clean the sensor glass.</source>
        <translation>Essayez un autre doigt, ou nettoyez la vitre du capteur.</translation>
    </message>
    <message>
        <source>The {finger} did not give the same print three times. Nothing was saved for this finger.</source>
        <translation>Le doigt « {finger} » n&apos;a pas donné trois fois la même empreinte. Rien n&apos;a été enregistré pour ce doigt.</translation>
    </message>
    <message>
        <source>Try another finger.</source>
        <translation>Essayez un autre doigt.</translation>
    </message>
    <message>
        <source>The sensor&apos;s memory is full</source>
        <translation>La mémoire du capteur est pleine</translation>
    </message>
    <message>
        <source>Ask an administrator to remove old templates.</source>
        <translation>Demandez à un administrateur de supprimer d&apos;anciens modèles.</translation>
    </message>
    <message>
        <source>The fingerprint could not be saved</source>
        <translation>L&apos;empreinte n&apos;a pas pu être enregistrée</translation>
    </message>
    <message>
        <source>The station could not write to its database. Nothing was saved for this finger.</source>
        <translation>Le poste n&apos;a pas pu écrire dans sa base de données. Rien n&apos;a été enregistré pour ce doigt.</translation>
    </message>
    <message>
        <source>Check the disk, then try again.</source>
        <translation>Vérifiez le disque, puis réessayez.</translation>
    </message>
    <message>
        <source>The sensor did not read the saved print back correctly. Nothing was saved for this finger.</source>
        <translation>Le capteur n&apos;a pas relu correctement l&apos;empreinte enregistrée. Rien n&apos;a été enregistré pour ce doigt.</translation>
    </message>
    <message>
        <source>Start the finger again.</source>
        <translation>Recommencez ce doigt.</translation>
    </message>
    <message>
        <source>The sensor had a problem</source>
        <translation>Le capteur a eu un problème</translation>
    </message>
    <message>
        <source>Try again. If it happens again, unplug the sensor and plug it back in.</source>
        <translation>Réessayez. Si cela recommence, débranchez le capteur et rebranchez-le.</translation>
    </message>
    <message>
        <source>The sensor is back. Press “Try again” when the person is ready.</source>
        <translation>Le capteur est de retour. Appuyez sur « Réessayer » quand la personne est prête.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <source>Place your {finger} once more to check it</source>
        <translation>Posez encore une fois votre {finger} pour le vérifier</translation>
    </message>
    <message>
        <source>Fingerprint saved and checked</source>
        <translation>Empreinte enregistrée et vérifiée</translation>
    </message>
    <message>
        <source>The sensor found the {finger} again, as a reader will.</source>
        <translation>Le capteur a retrouvé le doigt « {finger} », comme le fera un lecteur.</translation>
    </message>
    <message>
        <source>The check did not recognise this finger</source>
        <translation>La vérification n&apos;a pas reconnu ce doigt</translation>
    </message>
    <message>
        <source>The {finger} is saved, but the sensor did not find it again. A reader could fail the same way.</source>
        <translation>Le doigt « {finger} » est enregistré, mais le capteur ne l&apos;a pas retrouvé. Un lecteur pourrait échouer de la même façon.</translation>
    </message>
    <message>
        <source>Check once more, or enroll this finger again.</source>
        <translation>Vérifiez encore une fois, ou enregistrez de nouveau ce doigt.</translation>
    </message>
    <message>
        <source>The check could not read the finger</source>
        <translation>La vérification n&apos;a pas pu lire le doigt</translation>
    </message>
    <message>
        <source>The {finger} is saved; the presses for the check were unclear.</source>
        <translation>Le doigt « {finger} » est enregistré ; les appuis de la vérification étaient flous.</translation>
    </message>
    <message>
        <source>No finger was placed for the check. The {finger} is saved.</source>
        <translation>Aucun doigt n&apos;a été posé pour la vérification. Le doigt « {finger} » est enregistré.</translation>
    </message>
    <message>
        <source>The check was skipped. The {finger} is saved.</source>
        <translation>La vérification a été passée. Le doigt « {finger} » est enregistré.</translation>
    </message>
    <message>
        <source>The sensor was unplugged during the check. The {finger} is saved.</source>
        <translation>Le capteur a été débranché pendant la vérification. Le doigt « {finger} » est enregistré.</translation>
    </message>
    <message>
        <source>The sensor had a problem during the check. The {finger} is saved.</source>
        <translation>Le capteur a eu un problème pendant la vérification. Le doigt « {finger} » est enregistré.</translation>
    </message>
    <message>
        <source>Fingerprint saved, not checked</source>
        <translation>Empreinte enregistrée, non vérifiée</translation>
    </message>
    <message>
        <source>The sensor holds this finger in slot {slot}, but this station&apos;s records do not say whose it is. Reconcile the sensor on the Sensor page.</source>
        <translation>Le capteur contient ce doigt dans l&apos;emplacement {slot}, mais les données de ce poste ne disent pas à qui il est. Faites le rapprochement du capteur sur la page Capteur.</translation>
    </message>
    <message>
        <source>Already enrolled as {name} ({id}), {finger}.</source>
        <translation>Déjà enregistré pour {name} ({id}), {finger}.</translation>
    </message>
    <message>
        <source>The sensor and the database agree.</source>
        <extracomment>Distributions whose versions support wants to see (read from metadata: no Qt import here). Where the station&apos;s secrets are kept, in words (the only sentence screens use). A copy of the data folder carries the key with it (no OS key store on this computer). The data key&apos;s fingerprint, or None when no key was made yet.</extracomment>
        <translation>Le capteur et la base de données concordent.</translation>
    </message>
    <message>
        <source>{n} template(s) recorded here are missing on the sensor (slots {slots}); those people are not recognised until the templates are loaded back.</source>
        <translation>{n} modèle(s) notés ici manquent sur le capteur (emplacements {slots}) ; ces personnes ne sont pas reconnues tant que les modèles ne sont pas rechargés.</translation>
    </message>
    <message>
        <source>The sensor holds {n} template(s) this station has no record of (slots {slots}); they should be cleared.</source>
        <translation>Le capteur contient {n} modèle(s) inconnu(s) de ce poste (emplacements {slots}) ; ils doivent être effacés.</translation>
    </message>
    <message>
        <source>{n} deleted template(s) are still on the sensor (slots {slots}) and must be cleared.</source>
        <translation>{n} modèle(s) supprimé(s) sont encore sur le capteur (emplacements {slots}) et doivent être effacés.</translation>
    </message>
    <message>
        <source>Loaded back {restored}, cleared {cleared}.</source>
        <translation>Rechargés : {restored}, effacés : {cleared}.</translation>
    </message>
    <message>
        <source>Slot {slot}: the template was erased here after central received it; enroll the person again.</source>
        <translation>Emplacement {slot} : le modèle a été effacé ici après réception par le serveur central ; enregistrez de nouveau la personne.</translation>
    </message>
    <message>
        <source>Slot {slot}: no template is recorded for it any more.</source>
        <translation>Emplacement {slot} : plus aucun modèle n&apos;y est associé.</translation>
    </message>
    <message>
        <source>No sensor found yet. Check the USB cable and that the sensor&apos;s light is on.</source>
        <translation>Aucun capteur trouvé pour l&apos;instant. Vérifiez le câble USB et que le voyant du capteur est allumé.</translation>
    </message>
    <message>
        <source>The sensor is unplugged. Plug it back in; work resumes by itself.</source>
        <translation>Le capteur est débranché. Rebranchez-le ; le travail reprend tout seul.</translation>
    </message>
    <message>
        <source>The sensor stopped answering. Unplug it and plug it back in.</source>
        <translation>Le capteur ne répond plus. Débranchez-le et rebranchez-le.</translation>
    </message>
    <message>
        <source>The sensor&apos;s port is not there. Check the USB cable and the port setting.</source>
        <translation>Le port du capteur est absent. Vérifiez le câble USB et le réglage du port.</translation>
    </message>
    <message>
        <source>Another program is using the sensor&apos;s port. Close it; the station keeps trying.</source>
        <translation>Un autre programme utilise le port du capteur. Fermez-le ; le poste continue d&apos;essayer.</translation>
    </message>
    <message>
        <source>This user may not open the sensor&apos;s port. Ask IT to grant serial access.</source>
        <translation>Cet utilisateur ne peut pas ouvrir le port du capteur. Demandez au service informatique l&apos;accès aux ports série.</translation>
    </message>
    <message>
        <source>The station cannot start: {e}</source>
        <translation>Le poste ne peut pas démarrer : {e}</translation>
    </message>
    <message>
        <source>Refused · alternative offered</source>
        <translation>Refus · solution proposée</translation>
    </message>
    <message>
        <source>Consent withdrawn</source>
        <translation>Consentement retiré</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>Non enregistré</translation>
    </message>
    <message>
        <source>{n} of {m} fingers</source>
        <translation>{n}/{m} doigts</translation>
    </message>
    <message>
        <source>Done: {n} of {m} fingers</source>
        <translation>Terminé : {n}/{m} doigts</translation>
    </message>
    <message>
        <source>Done: {n} fingers</source>
        <translation>Terminé : {n} doigts</translation>
    </message>
    <message>
        <source>synced</source>
        <translation>envoyé</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>en attente d&apos;envoi</translation>
    </message>
    <message>
        <source>SIMULATED sensor · unplugged</source>
        <translation>Capteur SIMULÉ · débranché</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>occupé</translation>
    </message>
    <message>
        <source>SIMULATED sensor</source>
        <translation>Capteur SIMULÉ</translation>
    </message>
    <message>
        <source>Sensor unplugged — plug it in</source>
        <translation>Capteur débranché — branchez-le</translation>
    </message>
    <message>
        <source>Looking for the sensor…</source>
        <translation>Recherche du capteur…</translation>
    </message>
    <message>
        <source>Sensor problem — open the self-test</source>
        <translation>Problème de capteur — ouvrez l&apos;autotest</translation>
    </message>
    <message>
        <source>Sensor ready</source>
        <translation>Capteur prêt</translation>
    </message>
    <message>
        <source>Central server: not set up</source>
        <translation>Serveur central : non configuré</translation>
    </message>
    <message>
        <source>Central server: online</source>
        <translation>Serveur central : en ligne</translation>
    </message>
    <message>
        <source>Central server refused the login — check the credentials</source>
        <translation>Le serveur central a refusé la connexion — vérifiez les identifiants</translation>
    </message>
    <message>
        <source>Central server certificate problem — check the TLS files</source>
        <translation>Problème de certificat du serveur central — vérifiez les fichiers TLS</translation>
    </message>
    <message>
        <source>Central server settings are incomplete — open the admin area</source>
        <translation>Réglages du serveur central incomplets — ouvrez l&apos;administration</translation>
    </message>
    <message>
        <source>Central server: offline since {t}</source>
        <translation>Serveur central : hors ligne depuis {t}</translation>
    </message>
    <message>
        <source>Saved on this station only</source>
        <translation>Enregistré sur ce poste seulement</translation>
    </message>
    <message>
        <source>{n} waiting · {r} rejected</source>
        <translation>{n} en attente · {r} refusé(s)</translation>
    </message>
    <message>
        <source>{n} waiting to sync</source>
        <translation>{n} en attente d&apos;envoi</translation>
    </message>
    <message>
        <source>Everything synced</source>
        <translation>Tout est envoyé</translation>
    </message>
    <message>
        <source>Data key</source>
        <translation>Clé des données</translation>
    </message>
    <message>
        <source>Templates are sealed with a key kept in {where}. A copy of the whole data folder carries the key with it.</source>
        <translation>Les modèles sont chiffrés avec une clé conservée dans {where}. Une copie du dossier de données complet emporte la clé avec elle.</translation>
    </message>
    <message>
        <source>Keep the data folder on an encrypted disk, or run the station where the system offers a key store (Windows DPAPI, a desktop key ring).</source>
        <translation>Gardez le dossier de données sur un disque chiffré, ou faites tourner le poste là où le système offre un magasin de clés (Windows DPAPI, un trousseau de bureau).</translation>
    </message>
    <message>
        <source>Templates are sealed with a key kept in {where}.</source>
        <translation>Les modèles sont chiffrés avec une clé conservée dans {where}.</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Journal d&apos;audit</translation>
    </message>
    <message>
        <source>{n} entries, the hash chain is intact.</source>
        <translation>{n} entrées, la chaîne de hachage est intacte.</translation>
    </message>
    <message>
        <source>The audit trail was changed: its hash chain breaks at entry {seq} ({kind}).</source>
        <translation>Le journal d&apos;audit a été modifié : sa chaîne de hachage est rompue à l&apos;entrée {seq} ({kind}).</translation>
    </message>
    <message>
        <source>Keep this database as evidence and tell your data-protection officer (kiosk db verify-audit shows the details).</source>
        <translation>Conservez cette base de données comme preuve et prévenez votre délégué à la protection des données (kiosk db verify-audit donne les détails).</translation>
    </message>
    <message>
        <source>Deletions</source>
        <translation>Suppressions</translation>
    </message>
    <message>
        <source>Every deleted template is gone from the sensor too.</source>
        <translation>Chaque modèle supprimé a aussi disparu du capteur.</translation>
    </message>
    <message>
        <source>{n} sensor slot(s) of deleted templates are still to be cleared ({slots}).</source>
        <translation>{n} emplacement(s) du capteur de modèles supprimés restent à effacer ({slots}).</translation>
    </message>
    <message>
        <source>Connect the fingerprint sensor: the slots are cleared as soon as it is.</source>
        <translation>Branchez le capteur d&apos;empreintes : les emplacements sont effacés dès qu&apos;il l&apos;est.</translation>
    </message>
    <message>
        <source>The station&apos;s disk is full</source>
        <translation>Le disque de la station est plein</translation>
    </message>
    <message>
        <source>This fingerprint was not saved. Everything saved before is safe.</source>
        <translation>Cette empreinte n&apos;a pas été enregistrée. Tout ce qui a été enregistré avant est en sécurité.</translation>
    </message>
    <message>
        <source>Ask an administrator to free space on the station&apos;s disk, then enroll this finger again.</source>
        <translation>Demandez à un administrateur de libérer de la place sur le disque de la station, puis enregistrez ce doigt à nouveau.</translation>
    </message>
</context>
</TS>
