<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AdminScreen</name>
    <message>
        <source>Admin pages</source>
        <translation>Páginas de administración</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>Autoprueba</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>Cifras</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Servidor central</translation>
    </message>
    <message>
        <source>Sync queue</source>
        <translation>Cola de envío</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>Sensor</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Operadores</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Leaves the admin area (Esc does the same).</source>
        <translation>Sale de la administración (Esc hace lo mismo).</translation>
    </message>
    <message>
        <source>Close the program</source>
        <translation>Cerrar el programa</translation>
    </message>
    <message>
        <source>Closes the desk program (after a confirmation).</source>
        <translation>Cierra el programa del mostrador (tras una confirmación).</translation>
    </message>
    <message>
        <source>Close the desk program? Nobody can enroll until it is started again.</source>
        <translation>¿Cerrar el programa del mostrador? Nadie podrá registrar hasta que se vuelva a iniciar.</translation>
    </message>
    <message>
        <source>Yes, close it</source>
        <translation>Sí, cerrarlo</translation>
    </message>
</context>
<context>
    <name>CaptureScreen</name>
    <message>
        <source>Capture</source>
        <translation>Captura</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Indicación</translation>
    </message>
    <message>
        <source>What to do differently</source>
        <translation>Qué hacer de otra manera</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Tiempo restante</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stops this capture; nothing is saved for this finger.</source>
        <translation>Para esta captura; no se guarda nada para este dedo.</translation>
    </message>
    <message>
        <source>{name} — checking the {finger}</source>
        <translation>{name} — comprobando el {finger}</translation>
    </message>
    <message>
        <source>{name} — {finger}</source>
        <translation>{name} — {finger}</translation>
    </message>
    <message>
        <source>Skip the check</source>
        <translation>Saltar la comprobación</translation>
    </message>
    <message>
        <source>Ends the check; the finger stays saved.</source>
        <translation>Termina la comprobación; el dedo sigue guardado.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>{s} s left to lift the finger</source>
        <translation>quedan {s} s para levantar el dedo</translation>
    </message>
    <message>
        <source>{s} s left to place the finger</source>
        <translation>quedan {s} s para colocar el dedo</translation>
    </message>
</context>
<context>
    <name>CentralPage</name>
    <message>
        <source>Signature</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Central key</source>
        <translation>Clave central</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Certificado</translation>
    </message>
    <message>
        <source>Key pinned</source>
        <translation>Clave fijada</translation>
    </message>
    <message>
        <source>A provisioning file from the central server sets this station&apos;s id, the broker, its password, the certificates and the policy in one step. The file contains a password: keep it safe and delete it after the import.</source>
        <translation>Un archivo de alta del servidor central configura de una vez el identificador de este puesto, el servidor de mensajes, su contraseña, los certificados y las normas. El archivo contiene una contraseña: guárdelo en lugar seguro y bórrelo después de importarlo.</translation>
    </message>
    <message>
        <source>This step is optional: “Done” goes on to the roster, and this page stays in the admin area for later.</source>
        <translation>Este paso es opcional: «Listo» pasa a la lista de personas, y esta página sigue disponible en la administración.</translation>
    </message>
    <message>
        <source>Import a provisioning file…</source>
        <translation>Importar un archivo de alta…</translation>
    </message>
    <message>
        <source>Chooses the file from the central server that sets up this station.</source>
        <translation>Elige el archivo del servidor central que da de alta este puesto.</translation>
    </message>
    <message>
        <source>Compare this fingerprint of the central server&apos;s signing key with the one its administrator gave you (on paper or by phone). Import only if every group matches.</source>
        <translation>Compare esta huella de la clave de firma del servidor central con la que le dio su administrador (en papel o por teléfono). Importe solo si todos los grupos coinciden.</translation>
    </message>
    <message>
        <source>It does not match</source>
        <translation>No coincide</translation>
    </message>
    <message>
        <source>Refuses the file; nothing is changed.</source>
        <translation>Rechaza el archivo; no se cambia nada.</translation>
    </message>
    <message>
        <source>It matches — import</source>
        <translation>Coincide — importar</translation>
    </message>
    <message>
        <source>Imports the settings of the file and tests the connection.</source>
        <translation>Importa la configuración del archivo y prueba la conexión.</translation>
    </message>
    <message>
        <source>This station is {id} and sends to {url}.</source>
        <translation>Este puesto es {id} y envía a {url}.</translation>
    </message>
    <message>
        <source>Import a new provisioning file…</source>
        <translation>Importar un nuevo archivo de alta…</translation>
    </message>
    <message>
        <source>No central server is set up yet: enrollments stay on this station.</source>
        <translation>Aún no hay servidor central configurado: los registros se quedan en este puesto.</translation>
    </message>
    <message>
        <source>Provisioning file</source>
        <translation>Archivo de alta</translation>
    </message>
    <message>
        <source>Provisioning files (*{suffix} *.kioskprov);;All files (*)</source>
        <translation>Archivos de alta (*{suffix} *.kioskprov);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>Comprobando {name}…</translation>
    </message>
    <message>
        <source>✗ This file cannot be used: {e} Nothing was changed.</source>
        <translation>✗ Este archivo no se puede usar: {e} No se cambió nada.</translation>
    </message>
    <message>
        <source>Signed file for station {id}, broker {url}, issued {at}.</source>
        <translation>Archivo firmado para el puesto {id}, servidor {url}, emitido el {at}.</translation>
    </message>
    <message>
        <source>This station already trusts another central key ({pinned}). A file signed by a different key is refused: it is forged or from another central server.</source>
        <translation>Este puesto ya confía en otra clave central ({pinned}). Se rechaza un archivo firmado con otra clave: es falso o viene de otro servidor central.</translation>
    </message>
    <message>
        <source>Signed by the central key this station already trusts.</source>
        <translation>Firmado por la clave central en la que este puesto ya confía.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Not imported. Ask the central server&apos;s administrator for the right file and fingerprint. Nothing was changed.</source>
        <translation>No importado. Pida al administrador del servidor central el archivo y la huella de clave correctos. No se cambió nada.</translation>
    </message>
    <message>
        <source>Importing and testing the connection…</source>
        <translation>Importando y probando la conexión…</translation>
    </message>
    <message>
        <source>Signed by central key {fp}, the one you confirmed. From now on this station accepts only files signed by it.</source>
        <translation>Firmado por la clave central {fp}, la que usted confirmó. A partir de ahora este puesto solo acepta archivos firmados por ella.</translation>
    </message>
    <message>
        <source>✗ Not imported: {why} Nothing was changed.</source>
        <translation>✗ No importado: {why} No se cambió nada.</translation>
    </message>
    <message>
        <source>Imported. Restarting sync with the new settings…</source>
        <translation>Importado. Reiniciando el envío con la nueva configuración…</translation>
    </message>
    <message>
        <source>✓ Imported. Sync now uses the new settings, and the next enrollment uses the new policy.</source>
        <translation>✓ Importado. El envío usa ahora la nueva configuración, y el siguiente registro las nuevas normas.</translation>
    </message>
    <message>
        <source>Imported, but sync could not restart ({e}). Restart the program to use the new settings.</source>
        <translation>Importado, pero el envío no pudo reiniciarse ({e}). Reinicie el programa para usar la nueva configuración.</translation>
    </message>
</context>
<context>
    <name>ConfirmPanel</name>
    <message>
        <source>Question</source>
        <translation>Pregunta</translation>
    </message>
    <message>
        <source>Go back without doing it.</source>
        <translation>Volver sin hacerlo.</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <source>Signed the paper form</source>
        <translation>Firmó el formulario en papel</translation>
    </message>
    <message>
        <source>Accepted on this screen</source>
        <translation>Aceptado en esta pantalla</translation>
    </message>
    <message>
        <source>Said yes; I confirm as the operator</source>
        <translation>Dijo que sí; lo confirmo como operador</translation>
    </message>
    <message>
        <source>Consent notice</source>
        <translation>Aviso de consentimiento</translation>
    </message>
    <message>
        <source>Notice language</source>
        <translation>Idioma del aviso</translation>
    </message>
    <message>
        <source>The language the person reads the notice in; it is recorded with the consent.</source>
        <translation>El idioma en que la persona lee el aviso; se anota con el consentimiento.</translation>
    </message>
    <message>
        <source>Notice in</source>
        <translation>Aviso en</translation>
    </message>
    <message>
        <source>How was consent given?</source>
        <translation>¿Cómo se dio el consentimiento?</translation>
    </message>
    <message>
        <source>How the person gave consent.</source>
        <translation>Cómo dio la persona su consentimiento.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Back to the search; nothing is recorded.</source>
        <translation>Vuelve a la búsqueda; no se anota nada.</translation>
    </message>
    <message>
        <source>Person refuses</source>
        <translation>La persona se niega</translation>
    </message>
    <message>
        <source>Records that the person said no (after a confirmation).</source>
        <translation>Anota que la persona dijo que no (tras una confirmación).</translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation>Consentimiento dado</translation>
    </message>
    <message>
        <source>Records the consent with the chosen method and goes on to the fingers.</source>
        <translation>Anota el consentimiento con la forma elegida y pasa a los dedos.</translation>
    </message>
    <message>
        <source>Notice version {v}</source>
        <translation>Versión del aviso {v}</translation>
    </message>
    <message>
        <source>If the person says no: {alt}. Saying no has no other consequence.</source>
        <translation>Si la persona dice que no: {alt}. Decir que no no tiene ninguna otra consecuencia.</translation>
    </message>
    <message>
        <source>Consent — {name}</source>
        <translation>Consentimiento — {name}</translation>
    </message>
    <message>
        <source>{name} refused before. Record consent only if they have changed their mind.</source>
        <translation>{name} ya se negó antes. Anote el consentimiento solo si ha cambiado de opinión.</translation>
    </message>
    <message>
        <source>{name} withdrew consent before. Record it again only if they ask to enroll.</source>
        <translation>{name} retiró antes su consentimiento. Anótelo de nuevo solo si pide que le registren.</translation>
    </message>
    <message>
        <source>Record that {name} refuses? Nothing is captured, and the alternative is offered.</source>
        <translation>¿Anotar que {name} se niega? No se captura nada y se ofrece la alternativa.</translation>
    </message>
    <message>
        <source>Yes, record the refusal</source>
        <translation>Sí, anotar la negativa</translation>
    </message>
    <message>
        <source>The consent could not be saved: {e}</source>
        <translation>No se pudo guardar el consentimiento: {e}</translation>
    </message>
</context>
<context>
    <name>DiagnosticsPage</name>
    <message>
        <source>One file for support: the station&apos;s log, the sensor&apos;s serial trace, program versions, the settings without passwords, and the self-test results. It holds no fingerprints and no PINs.</source>
        <translation>Un solo archivo para el soporte: el registro del puesto, la traza serie del sensor, las versiones de los programas, la configuración sin contraseñas y los resultados de la autoprueba. No contiene huellas ni PIN.</translation>
    </message>
    <message>
        <source>Export diagnostics bundle</source>
        <translation>Exportar el paquete de diagnóstico</translation>
    </message>
    <message>
        <source>No fingerprints and no PINs go into it.</source>
        <translation>No contiene huellas ni PIN.</translation>
    </message>
    <message>
        <source>Open the folder</source>
        <translation>Abrir la carpeta</translation>
    </message>
    <message>
        <source>Shows the folder with the bundle.</source>
        <translation>Muestra la carpeta con el paquete.</translation>
    </message>
    <message>
        <source>Collecting…</source>
        <translation>Recopilando…</translation>
    </message>
    <message>
        <source>Saved for support: {path}</source>
        <translation>Guardado para el soporte: {path}</translation>
    </message>
    <message>
        <source>The bundle could not be written: {e}</source>
        <translation>No se pudo escribir el paquete: {e}</translation>
    </message>
</context>
<context>
    <name>DuplicateScreen</name>
    <message>
        <source>Administrator</source>
        <translation>Administrador</translation>
    </message>
    <message>
        <source>The supervisor signing this decision.</source>
        <translation>El supervisor que firma esta decisión.</translation>
    </message>
    <message>
        <source>Administrator PIN</source>
        <translation>PIN de administrador</translation>
    </message>
    <message>
        <source>Enter shows whose finger the sensor found.</source>
        <translation>Intro muestra de quién es el dedo que encontró el sensor.</translation>
    </message>
    <message>
        <source>Show the details</source>
        <translation>Ver los detalles</translation>
    </message>
    <message>
        <source>Checks the administrator PIN, then shows whose finger this is.</source>
        <translation>Comprueba el PIN de administrador y luego muestra de quién es este dedo.</translation>
    </message>
    <message>
        <source>Details for the administrator</source>
        <translation>Detalles para el administrador</translation>
    </message>
    <message>
        <source>Why this finger may be enrolled anyway</source>
        <translation>Por qué puede registrarse este dedo de todos modos</translation>
    </message>
    <message>
        <source>Reason for the override</source>
        <translation>Motivo de la excepción</translation>
    </message>
    <message>
        <source>Recorded in the audit log with your name.</source>
        <translation>Se anota en el registro de auditoría con su nombre.</translation>
    </message>
    <message>
        <source>Enroll anyway</source>
        <translation>Registrar de todos modos</translation>
    </message>
    <message>
        <source>Enrolls this finger although the sensor holds a matching one (after a confirmation).</source>
        <translation>Registra este dedo aunque el sensor tenga uno igual (tras una confirmación).</translation>
    </message>
    <message>
        <source>Supervisor…</source>
        <translation>Supervisor…</translation>
    </message>
    <message>
        <source>For the supervisor: type the administrator PIN to see the details.</source>
        <translation>Para el supervisor: escriba el PIN de administrador para ver los detalles.</translation>
    </message>
    <message>
        <source>Next person</source>
        <translation>Siguiente persona</translation>
    </message>
    <message>
        <source>Nothing was saved; back to the search.</source>
        <translation>No se guardó nada; vuelve a la búsqueda.</translation>
    </message>
    <message>
        <source>Choose the administrator and type the PIN.</source>
        <translation>Elija el administrador y escriba el PIN.</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>No se pudo comprobar el PIN.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN erróneo.</translation>
    </message>
    <message>
        <source>Too many wrong PINs; try again later.</source>
        <translation>Demasiados PIN erróneos; vuelva a intentarlo más tarde.</translation>
    </message>
    <message>
        <source>Only an administrator can see the details.</source>
        <translation>Solo un administrador puede ver los detalles.</translation>
    </message>
    <message>
        <source>Enroll this finger anyway? {admin} is recorded as having decided it, with the reason given.</source>
        <translation>¿Registrar de todos modos este dedo? Queda anotado que {admin} lo decidió, con el motivo indicado.</translation>
    </message>
    <message>
        <source>Yes, enroll anyway</source>
        <translation>Sí, registrar de todos modos</translation>
    </message>
</context>
<context>
    <name>FiguresPage</name>
    <message>
        <source>not read</source>
        <translation>no leído</translation>
    </message>
    <message>
        <source>too faint</source>
        <translation>demasiado tenue</translation>
    </message>
    <message>
        <source>smudged</source>
        <translation>emborronada</translation>
    </message>
    <message>
        <source>unclear</source>
        <translation>poco clara</translation>
    </message>
    <message>
        <source>not flat enough</source>
        <translation>no lo bastante plano</translation>
    </message>
    <message>
        <source>another finger</source>
        <translation>otro dedo</translation>
    </message>
    <message>
        <source>weak match</source>
        <translation>coincidencia débil</translation>
    </message>
    <message>
        <source>did not fit together</source>
        <translation>no encajaron</translation>
    </message>
    <message>
        <source>third press did not match</source>
        <translation>el tercer apoyo no coincidió</translation>
    </message>
    <message>
        <source>no finger placed</source>
        <translation>ningún dedo colocado</translation>
    </message>
    <message>
        <source>finger not lifted</source>
        <translation>dedo no levantado</translation>
    </message>
    <message>
        <source>already registered</source>
        <translation>ya registrado</translation>
    </message>
    <message>
        <source>sensor unplugged</source>
        <translation>sensor desconectado</translation>
    </message>
    <message>
        <source>no sensor</source>
        <translation>sin sensor</translation>
    </message>
    <message>
        <source>too many unclear presses</source>
        <translation>demasiados apoyos poco claros</translation>
    </message>
    <message>
        <source>presses did not agree</source>
        <translation>los apoyos no coincidieron</translation>
    </message>
    <message>
        <source>sensor problem</source>
        <translation>problema del sensor</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Registrados</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallidos</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Mediana</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>The first day counted.</source>
        <translation>El primer día que se cuenta.</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 días</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 días</translation>
    </message>
    <message>
        <source>Counts from {n} day(s) ago.</source>
        <translation>Cuenta desde hace {n} día(s).</translation>
    </message>
    <message>
        <source>Fingers enrolled</source>
        <translation>Dedos registrados</translation>
    </message>
    <message>
        <source>People enrolled</source>
        <translation>Personas registradas</translation>
    </message>
    <message>
        <source>Failure to enroll</source>
        <translation>Fallo de registro</translation>
    </message>
    <message>
        <source>Failed attempts</source>
        <translation>Intentos fallidos</translation>
    </message>
    <message>
        <source>Time per finger</source>
        <translation>Tiempo por dedo</translation>
    </message>
    <message>
        <source>Retries per capture</source>
        <translation>Repeticiones por captura</translation>
    </message>
    <message>
        <source>Checks after enrollment</source>
        <translation>Comprobaciones tras el registro</translation>
    </message>
    <message>
        <source>Why presses were repeated</source>
        <translation>Por qué se repitieron apoyos</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Por día</translation>
    </message>
    <message>
        <source>Enrollments per day.</source>
        <translation>Registros por día.</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>Per operator</source>
        <translation>Por operador</translation>
    </message>
    <message>
        <source>Enrollments per operator.</source>
        <translation>Registros por operador.</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Contando…</translation>
    </message>
    <message>
        <source>The figures could not be read: {e}</source>
        <translation>No se pudieron leer las cifras: {e}</translation>
    </message>
    <message>
        <source>{n} attempts</source>
        <translation>{n} intentos</translation>
    </message>
    <message>
        <source>{pct} ({n} of {m} people)</source>
        <translation>{pct} ({n} de {m} personas)</translation>
    </message>
    <message>
        <source>{n} ({pct} of attempts)</source>
        <translation>{n} ({pct} de los intentos)</translation>
    </message>
    <message>
        <source>{r} ({n} of {c} captures)</source>
        <translation>{r} ({n} de {c} capturas)</translation>
    </message>
    <message>
        <source>{n}: {ok} passed, {bad} failed</source>
        <translation>{n}: {ok} correctas, {bad} fallidas</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} s</translation>
    </message>
    <message>
        <source>Shows the table per day.</source>
        <translation>Muestra la tabla por día.</translation>
    </message>
    <message>
        <source>Shows the table per operator.</source>
        <translation>Muestra la tabla por operador.</translation>
    </message>
    <message>
        <source>median {m} · 90 % ≤ {p}</source>
        <translation>mediana {m} · 90 % ≤ {p}</translation>
    </message>
</context>
<context>
    <name>FingerScreen</name>
    <message>
        <source>Chosen finger</source>
        <translation>Dedo elegido</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Back to the search.</source>
        <translation>Vuelve a la búsqueda.</translation>
    </message>
    <message>
        <source>Start capture</source>
        <translation>Iniciar la captura</translation>
    </message>
    <message>
        <source>The sensor is not connected. Plug it in; this button turns on by itself.</source>
        <translation>El sensor no está conectado. Conéctelo; este botón se activa solo.</translation>
    </message>
    <message>
        <source>Waiting for the sensor…</source>
        <translation>Esperando el sensor…</translation>
    </message>
    <message>
        <source>Starts the three presses of the chosen finger.</source>
        <translation>Inicia los tres apoyos del dedo elegido.</translation>
    </message>
    <message>
        <source>Turns on when the sensor is connected.</source>
        <translation>Se activa cuando el sensor está conectado.</translation>
    </message>
    <message>
        <source>Choose the extra finger — {name}</source>
        <translation>Elegir el dedo adicional — {name}</translation>
    </message>
    <message>
        <source>Choose the finger — {name}</source>
        <translation>Elegir el dedo — {name}</translation>
    </message>
    <message>
        <source>Green with a check: enrolled (choose it to enroll it again or remove it). Light blue: recommended.</source>
        <translation>Verde con una marca: registrado (elíjalo para registrarlo de nuevo o eliminarlo). Azul claro: recomendado.</translation>
    </message>
    <message>
        <source>Light blue: recommended. Choose another finger to change.</source>
        <translation>Azul claro: recomendado. Elija otro dedo para cambiar.</translation>
    </message>
    <message>
        <source>Chosen: {finger}</source>
        <translation>Elegido: {finger}</translation>
    </message>
    <message>
        <source>Every finger is enrolled.</source>
        <translation>Todos los dedos están registrados.</translation>
    </message>
    <message>
        <source>Choose a finger on the diagram.</source>
        <translation>Elija un dedo en el esquema.</translation>
    </message>
    <message>
        <source>Withdraw consent or delete…</source>
        <translation>Retirar el consentimiento o eliminar…</translation>
    </message>
    <message>
        <source>When the person withdraws consent or asks for their prints to be deleted.</source>
        <translation>Cuando la persona retira su consentimiento o pide que se eliminen sus huellas.</translation>
    </message>
</context>
<context>
    <name>ForgetPersonScreen</name>
    <message>
        <source>The person asked for it at the desk</source>
        <translation>La persona lo pidió en el mostrador</translation>
    </message>
    <message>
        <source>The prints were enrolled under the wrong name</source>
        <translation>Las huellas se registraron con un nombre equivocado</translation>
    </message>
    <message>
        <source>Another reason:</source>
        <translation>Otro motivo:</translation>
    </message>
    <message>
        <source>What is held about this person</source>
        <translation>Lo que se guarda sobre esta persona</translation>
    </message>
    <message>
        <source>The person withdraws their consent</source>
        <translation>La persona retira su consentimiento</translation>
    </message>
    <message>
        <source>Records the withdrawal and deletes every print; they need to consent again before any new enrollment.</source>
        <translation>Registra la retirada y elimina todas las huellas; hará falta un nuevo consentimiento antes de cualquier nueva inscripción.</translation>
    </message>
    <message>
        <source>Delete the prints, the consent stays</source>
        <translation>Eliminar las huellas, el consentimiento se mantiene</translation>
    </message>
    <message>
        <source>Deletes every print, for example to enroll the person again from the start.</source>
        <translation>Elimina todas las huellas, por ejemplo para inscribir a la persona de nuevo desde el principio.</translation>
    </message>
    <message>
        <source>What does the person ask for?</source>
        <translation>¿Qué pide la persona?</translation>
    </message>
    <message>
        <source>The reason recorded with the deletion.</source>
        <translation>El motivo registrado con la eliminación.</translation>
    </message>
    <message>
        <source>Every print of this person is deleted on this station, on the sensor and at the central server; the deletion is recorded.</source>
        <translation>Todas las huellas de esta persona se eliminan en este puesto, en el sensor y en el servidor central; la eliminación queda registrada.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <source>Back without changing anything.</source>
        <translation>Volver sin cambiar nada.</translation>
    </message>
    <message>
        <source>Delete the prints</source>
        <translation>Eliminar las huellas</translation>
    </message>
    <message>
        <source>Deletes every print of this person (after a confirmation).</source>
        <translation>Elimina todas las huellas de esta persona (tras una confirmación).</translation>
    </message>
    <message>
        <source>Delete the prints — {name} ({id})</source>
        <translation>Eliminar las huellas — {name} ({id})</translation>
    </message>
    <message>
        <source>Fingers enrolled on this station: {n}.</source>
        <translation>Dedos inscritos en este puesto: {n}.</translation>
    </message>
    <message>
        <source>No finger is enrolled on this station.</source>
        <translation>No hay ningún dedo inscrito en este puesto.</translation>
    </message>
    <message>
        <source>Consent is on record.</source>
        <translation>El consentimiento está registrado.</translation>
    </message>
    <message>
        <source>No consent is in force.</source>
        <translation>No hay ningún consentimiento vigente.</translation>
    </message>
    <message>
        <source>Record that {name} withdraws consent and delete every print?</source>
        <translation>¿Registrar que {name} retira su consentimiento y eliminar todas las huellas?</translation>
    </message>
    <message>
        <source>Delete every print of {name}?</source>
        <translation>¿Eliminar todas las huellas de {name}?</translation>
    </message>
    <message>
        <source>Yes, delete them</source>
        <translation>Sí, eliminarlas</translation>
    </message>
</context>
<context>
    <name>HandDiagram</name>
    <message>
        <source>Hand diagram</source>
        <translation>Esquema de las manos</translation>
    </message>
    <message>
        <source>Both hands, palms down. Use the arrow keys to move from finger to finger.</source>
        <translation>Las dos manos, con las palmas hacia abajo. Las flechas del teclado pasan de un dedo a otro.</translation>
    </message>
    <message>
        <source>The finger to place</source>
        <translation>El dedo que hay que colocar</translation>
    </message>
    <message>
        <source>enrolled. Press Space to enroll it again or remove it.</source>
        <translation>registrado. Pulse Espacio para registrarlo de nuevo o eliminarlo.</translation>
    </message>
    <message>
        <source>not enrolled.</source>
        <translation>sin registrar.</translation>
    </message>
    <message>
        <source>chosen for the capture.</source>
        <translation>elegido para la captura.</translation>
    </message>
    <message>
        <source>recommended. Press Space to choose it.</source>
        <translation>recomendado. Pulse Espacio para elegirlo.</translation>
    </message>
    <message>
        <source>not enrolled. Press Space to choose it.</source>
        <translation>sin registrar. Pulse Espacio para elegirlo.</translation>
    </message>
    <message>
        <source>Left hand</source>
        <translation>Mano izquierda</translation>
    </message>
    <message>
        <source>Right hand</source>
        <translation>Mano derecha</translation>
    </message>
</context>
<context>
    <name>IdleBanner</name>
    <message>
        <source>Idle sign-out</source>
        <translation>Cierre de sesión por inactividad</translation>
    </message>
    <message>
        <source>Stay signed in</source>
        <translation>Seguir con la sesión</translation>
    </message>
    <message>
        <source>Keeps you signed in; any touch or key does the same.</source>
        <translation>Mantiene su sesión; tocar la pantalla o una tecla hace lo mismo.</translation>
    </message>
    <message>
        <source>No one has used the desk for a while: signing out in {s} s. Touch the screen or press any key to stay.</source>
        <translation>Nadie ha usado el mostrador desde hace un rato: cierre de sesión en {s} s. Toque la pantalla o pulse una tecla para seguir.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Fingerprint enrollment — {name}</source>
        <extracomment>Set to make the next start fail at once (the installer smoke test checks the log and box). The open log file faulthandler writes into (kept open while the GUI runs). Languages the desk speaks, each named in itself (so anyone finds their own). The one set of translators of the desk&apos;s QApplication. How long the warning shows before an idle sign-out (at most a third of the idle time). Exit code for &quot;an administrator closed the kiosk on purpose&quot; (the shell launcher is set to do nothing on it, and to restart the kiosk on any other code). A sign-out waits this long for a cancelled capture to end before it goes ahead anyway. The reason recorded when a finger is enrolled again because its check failed. The enrollment just completed (the check after it needs its slot and template).</extracomment>
        <translation>Registro de huellas — {name}</translation>
    </message>
    <message>
        <source>That did not work</source>
        <translation>No ha funcionado</translation>
    </message>
    <message>
        <source>Next person</source>
        <translation>Siguiente persona</translation>
    </message>
    <message>
        <source>Refusal recorded</source>
        <translation>Negativa anotada</translation>
    </message>
    <message>
        <source>{name} said no. Nothing was captured. Offer the alternative: {alt}.</source>
        <translation>{name} dijo que no. No se capturó nada. Ofrezca la alternativa: {alt}.</translation>
    </message>
    <message>
        <source>The sensor is not connected: its copy is cleared as soon as it is back.</source>
        <translation>El sensor no está conectado: su copia se borra en cuanto vuelva.</translation>
    </message>
    <message>
        <source>The sensor&apos;s copy is cleared.</source>
        <translation>Se borra la copia del sensor.</translation>
    </message>
    <message>
        <source>Finger removed</source>
        <translation>Dedo eliminado</translation>
    </message>
    <message>
        <source>The {finger} of {name} is deleted on this station, and the central server is told to delete it.</source>
        <translation>El {finger} de {name} se ha borrado en este puesto, y se pide al servidor central que lo borre.</translation>
    </message>
    <message>
        <source>Back to {name}</source>
        <translation>Volver a {name}</translation>
    </message>
    <message>
        <source>Another capture is still running</source>
        <translation>Otra captura sigue en curso</translation>
    </message>
    <message>
        <source>The previous capture has not finished yet.</source>
        <translation>La captura anterior aún no ha terminado.</translation>
    </message>
    <message>
        <source>Stop it and try again</source>
        <translation>Pararla y reintentar</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>The fingers enrolled before are kept.</source>
        <translation>Los dedos registrados antes se conservan.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Choose another finger</source>
        <translation>Elegir otro dedo</translation>
    </message>
    <message>
        <source>Waiting for the sensor…</source>
        <translation>Esperando el sensor…</translation>
    </message>
    <message>
        <source>Check once more</source>
        <translation>Comprobar otra vez</translation>
    </message>
    <message>
        <source>Keep it, next person</source>
        <translation>Conservarlo, siguiente persona</translation>
    </message>
    <message>
        <source>Enroll this finger again</source>
        <translation>Registrar de nuevo este dedo</translation>
    </message>
    <message>
        <source>Delete the {finger} just saved and capture it again?</source>
        <translation>¿Borrar el {finger} recién guardado y capturarlo de nuevo?</translation>
    </message>
    <message>
        <source>Yes, enroll it again</source>
        <translation>Sí, registrarlo de nuevo</translation>
    </message>
    <message>
        <source>Close the program</source>
        <translation>Cerrar el programa</translation>
    </message>
    <message>
        <source>Administrator PIN</source>
        <translation>PIN de administrador</translation>
    </message>
    <message>
        <source>The sensor is not connected: its copies are cleared as soon as it is back.</source>
        <translation>El sensor no está conectado: sus copias se borran en cuanto vuelva.</translation>
    </message>
    <message>
        <source>The sensor&apos;s copies are cleared.</source>
        <translation>Las copias del sensor están borradas.</translation>
    </message>
    <message>
        <source>Consent withdrawn</source>
        <translation>Consentimiento retirado</translation>
    </message>
    <message>
        <source>Prints deleted</source>
        <translation>Huellas eliminadas</translation>
    </message>
    <message>
        <source>{n} print(s) of {name} are deleted on this station, and the central server is told to delete them.</source>
        <translation>{n} huella(s) de {name} se han eliminado en este puesto, y se pide al servidor central que las elimine.</translation>
    </message>
    <message>
        <source>{name} had no print on this station.</source>
        <translation>{name} no tenía ninguna huella en este puesto.</translation>
    </message>
    <message>
        <source>A new enrollment needs their consent again.</source>
        <translation>Una nueva inscripción necesitará de nuevo su consentimiento.</translation>
    </message>
</context>
<context>
    <name>ManageFingerScreen</name>
    <message>
        <source>The wrong finger was enrolled</source>
        <translation>Se registró el dedo equivocado</translation>
    </message>
    <message>
        <source>The finger is injured or worn</source>
        <translation>El dedo está herido o desgastado</translation>
    </message>
    <message>
        <source>The check after enrollment failed</source>
        <translation>La comprobación tras el registro falló</translation>
    </message>
    <message>
        <source>The person asked for it</source>
        <translation>La persona lo pidió</translation>
    </message>
    <message>
        <source>Another reason:</source>
        <translation>Otro motivo:</translation>
    </message>
    <message>
        <source>About this finger</source>
        <translation>Sobre este dedo</translation>
    </message>
    <message>
        <source>The reason recorded with the change.</source>
        <translation>El motivo que se anota con el cambio.</translation>
    </message>
    <message>
        <source>The old print is deleted on this station, on the sensor and at the central server; the change is recorded.</source>
        <translation>La huella antigua se borra en este puesto, en el sensor y en el servidor central; el cambio queda anotado.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Back without changing anything.</source>
        <translation>Vuelve sin cambiar nada.</translation>
    </message>
    <message>
        <source>Remove this finger</source>
        <translation>Eliminar este dedo</translation>
    </message>
    <message>
        <source>Deletes this finger&apos;s print (after a confirmation).</source>
        <translation>Borra la huella de este dedo (tras una confirmación).</translation>
    </message>
    <message>
        <source>Enroll it again</source>
        <translation>Registrarlo de nuevo</translation>
    </message>
    <message>
        <source>Deletes the old print and captures the finger again (after a confirmation).</source>
        <translation>Borra la huella antigua y captura de nuevo el dedo (tras una confirmación).</translation>
    </message>
    <message>
        <source>{finger} — {name}</source>
        <translation>{finger} — {name}</translation>
    </message>
    <message>
        <source>Enrolled on {when}; the central server has it.</source>
        <translation>Registrado el {when}; el servidor central ya lo tiene.</translation>
    </message>
    <message>
        <source>Enrolled on {when}; not yet at the central server.</source>
        <translation>Registrado el {when}; aún no está en el servidor central.</translation>
    </message>
    <message>
        <source>Delete the old print of the {finger} and capture it again?</source>
        <translation>¿Borrar la huella antigua del {finger} y capturarlo de nuevo?</translation>
    </message>
    <message>
        <source>Yes, enroll it again</source>
        <translation>Sí, registrarlo de nuevo</translation>
    </message>
    <message>
        <source>Remove the {finger} of {name}? Its print is deleted everywhere.</source>
        <translation>¿Eliminar el {finger} de {name}? Su huella se borra en todas partes.</translation>
    </message>
    <message>
        <source>Yes, remove it</source>
        <translation>Sí, eliminarlo</translation>
    </message>
</context>
<context>
    <name>MessageScreen</name>
    <message>
        <source>Starts the same finger again.</source>
        <translation>Vuelve a iniciar el mismo dedo.</translation>
    </message>
    <message>
        <source>Back to the hand diagram to choose another finger.</source>
        <translation>Vuelve al esquema de las manos para elegir otro dedo.</translation>
    </message>
    <message>
        <source>Back to the search for the next person.</source>
        <translation>Vuelve a la búsqueda para la siguiente persona.</translation>
    </message>
    <message>
        <source>Stops the capture still running, then starts again.</source>
        <translation>Para la captura que sigue en curso y vuelve a empezar.</translation>
    </message>
    <message>
        <source>One more press to check the finger just saved.</source>
        <translation>Un apoyo más para comprobar el dedo recién guardado.</translation>
    </message>
    <message>
        <source>Deletes the finger just saved and captures it again.</source>
        <translation>Borra el dedo recién guardado y lo captura de nuevo.</translation>
    </message>
    <message>
        <source>Back to this person&apos;s fingers.</source>
        <translation>Vuelve a los dedos de esta persona.</translation>
    </message>
</context>
<context>
    <name>OperatorsPage</name>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Función</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Operadores</translation>
    </message>
    <message>
        <source>Who may sign in at this desk.</source>
        <translation>Quién puede iniciar sesión en este mostrador.</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Desactivar</translation>
    </message>
    <message>
        <source>Stops or allows the selected operator signing in.</source>
        <translation>Impide o permite que el operador elegido inicie sesión.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <source>Lifts the lock after too many wrong PINs.</source>
        <translation>Quita el bloqueo tras demasiados PIN erróneos.</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>PIN nuevo</translation>
    </message>
    <message>
        <source>4 to 12 digits for the selected operator; Enter sets it.</source>
        <translation>De 4 a 12 cifras para el operador elegido; Intro lo fija.</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>Cambiar el PIN</translation>
    </message>
    <message>
        <source>Gives the selected operator the new PIN.</source>
        <translation>Da el nuevo PIN al operador elegido.</translation>
    </message>
    <message>
        <source>Add an operator (PIN: 4 to 12 digits). Operators enroll; administrators also see this area.</source>
        <translation>Añadir un operador (PIN de 4 a 12 cifras). Los operadores registran; los administradores también ven esta zona.</translation>
    </message>
    <message>
        <source>New operator&apos;s name</source>
        <translation>Nombre del nuevo operador</translation>
    </message>
    <message>
        <source>Enter adds the operator once the PIN is typed.</source>
        <translation>Intro añade el operador una vez escrito el PIN.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>New operator&apos;s PIN</source>
        <translation>PIN del nuevo operador</translation>
    </message>
    <message>
        <source>4 to 12 digits; Enter adds the operator.</source>
        <translation>De 4 a 12 cifras; Intro añade el operador.</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrador</translation>
    </message>
    <message>
        <source>Operators enroll; administrators also see the admin area.</source>
        <translation>Los operadores registran; los administradores también ven la administración.</translation>
    </message>
    <message>
        <source>Add operator</source>
        <translation>Añadir operador</translation>
    </message>
    <message>
        <source>Adds the operator with this name, PIN and role.</source>
        <translation>Añade el operador con este nombre, PIN y función.</translation>
    </message>
    <message>
        <source>Locked for {n} min</source>
        <translation>Bloqueado {n} min</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Desactivado</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Activar</translation>
    </message>
    <message>
        <source>{name} can sign in again.</source>
        <translation>{name} puede volver a iniciar sesión.</translation>
    </message>
    <message>
        <source>{name} can no longer sign in.</source>
        <translation>{name} ya no puede iniciar sesión.</translation>
    </message>
    <message>
        <source>{name} is unlocked.</source>
        <translation>{name} está desbloqueado.</translation>
    </message>
    <message>
        <source>Type a new PIN of 4 to 12 digits.</source>
        <translation>Escriba un PIN nuevo de 4 a 12 cifras.</translation>
    </message>
    <message>
        <source>{name}&apos;s PIN was changed.</source>
        <translation>Se cambió el PIN de {name}.</translation>
    </message>
    <message>
        <source>Type a name and a PIN of 4 to 12 digits.</source>
        <translation>Escriba un nombre y un PIN de 4 a 12 cifras.</translation>
    </message>
    <message>
        <source>{name} can now sign in.</source>
        <translation>{name} ya puede iniciar sesión.</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <source>The path of the file; or use Choose.</source>
        <translation>La ruta del archivo; o use Elegir.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>Opens a file picker for {name}.</source>
        <translation>Abre un selector de archivos para {name}.</translation>
    </message>
    <message>
        <source>Certificates and keys (*.pem *.crt *.cer *.key);;All files (*)</source>
        <translation>Certificados y claves (*.pem *.crt *.cer *.key);;Todos los archivos (*)</translation>
    </message>
</context>
<context>
    <name>PersonScreen</name>
    <message>
        <source>To enroll a finger again or remove it, choose it on the diagram.</source>
        <translation>Para registrar de nuevo un dedo o eliminarlo, elíjalo en el esquema.</translation>
    </message>
    <message>
        <source>Enroll another finger</source>
        <translation>Registrar otro dedo</translation>
    </message>
    <message>
        <source>Adds one more finger to a person who is already done.</source>
        <translation>Añade un dedo más a una persona ya terminada.</translation>
    </message>
    <message>
        <source>Next person</source>
        <translation>Siguiente persona</translation>
    </message>
    <message>
        <source>Back to the search for the next person.</source>
        <translation>Vuelve a la búsqueda para la siguiente persona.</translation>
    </message>
    <message>
        <source>{name} ({id})</source>
        <translation>{name} ({id})</translation>
    </message>
    <message>
        <source>Already enrolled: {n} of {m} fingers</source>
        <translation>Ya hecho: {n}/{m} dedos</translation>
    </message>
    <message>
        <source>Already enrolled: {n} fingers</source>
        <translation>Ya hecho: {n} dedos</translation>
    </message>
    <message>
        <source>Nothing more to do. Every finger has reached the central server.</source>
        <translation>Nada más que hacer. Todos los dedos llegaron al servidor central.</translation>
    </message>
    <message>
        <source>Nothing more to do. Fingers still to be sent to the central server: {n}.</source>
        <translation>Nada más que hacer. Dedos aún por enviar al servidor central: {n}.</translation>
    </message>
    <message>
        <source>Withdraw consent or delete…</source>
        <translation>Retirar el consentimiento o eliminar…</translation>
    </message>
    <message>
        <source>When the person withdraws consent or asks for their prints to be deleted.</source>
        <translation>Cuando la persona retira su consentimiento o pide que se eliminen sus huellas.</translation>
    </message>
</context>
<context>
    <name>ReasonChoice</name>
    <message>
        <source>Why?</source>
        <translation>¿Por qué?</translation>
    </message>
    <message>
        <source>Type the reason</source>
        <translation>Escriba el motivo</translation>
    </message>
    <message>
        <source>Another reason</source>
        <translation>Otro motivo</translation>
    </message>
    <message>
        <source>The reason, in a few words.</source>
        <translation>El motivo, en pocas palabras.</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <source>Fingerprint saved</source>
        <translation>Huella guardada</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Comprobación</translation>
    </message>
    <message>
        <source>Saved on this station.</source>
        <translation>Guardada en este puesto.</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Servidor central</translation>
    </message>
    <message>
        <source>{finger} — {n} of {m} fingers done.</source>
        <translation>{finger} — dedos hechos: {n}/{m}.</translation>
    </message>
    <message>
        <source>Next finger</source>
        <translation>Siguiente dedo</translation>
    </message>
    <message>
        <source>Chooses the next finger of this person.</source>
        <translation>Elige el siguiente dedo de esta persona.</translation>
    </message>
    <message>
        <source>Stop here, next person</source>
        <translation>Parar aquí, siguiente persona</translation>
    </message>
    <message>
        <source>Leaves this person with fewer fingers than asked, for the next person.</source>
        <translation>Deja a esta persona con menos dedos de los pedidos, para pasar a la siguiente.</translation>
    </message>
    <message>
        <source>One more finger is needed so a cut or plaster does not lock the person out.</source>
        <translation>Hace falta un dedo más para que un corte o una tirita no bloqueen a la persona.</translation>
    </message>
    <message>
        <source>Next person</source>
        <translation>Siguiente persona</translation>
    </message>
    <message>
        <source>Back to the search for the next person.</source>
        <translation>Vuelve a la búsqueda para la siguiente persona.</translation>
    </message>
    <message>
        <source>✓ Synced with the central server</source>
        <translation>✓ Enviado al servidor central</translation>
    </message>
    <message>
        <source>Not sent: no central server is set up</source>
        <translation>No enviado: no hay servidor central configurado</translation>
    </message>
    <message>
        <source>Queued — sending to the central server…</source>
        <translation>En cola — enviando al servidor central…</translation>
    </message>
    <message>
        <source>Queued — will be sent when the server is back</source>
        <translation>En cola — se enviará cuando vuelva el servidor</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <source>No, go back</source>
        <translation>No, volver</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <source>Find the person</source>
        <translation>Buscar a la persona</translation>
    </message>
    <message>
        <source>Type a name or an ID</source>
        <translation>Escriba un nombre o un identificador</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Type part of a name or an ID; accents and capitals do not matter. Enter opens the person selected below.</source>
        <translation>Escriba parte de un nombre o de un identificador; los acentos y las mayúsculas no importan. Intro abre la persona elegida abajo.</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Grupo</translation>
    </message>
    <message>
        <source>Work through a class or group: lists its people and selects the next one not enrolled.</source>
        <translation>Trabajar una clase o un grupo: muestra sus personas y elige la siguiente sin registrar.</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Todos</translation>
    </message>
    <message>
        <source>Group progress</source>
        <translation>Avance del grupo</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>Identificador</translation>
    </message>
    <message>
        <source>Fingerprints</source>
        <translation>Huellas</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personas</translation>
    </message>
    <message>
        <source>The people found, with their fingerprints. Up and Down choose; Enter opens.</source>
        <translation>Las personas encontradas, con sus huellas. Arriba y Abajo eligen; Intro abre.</translation>
    </message>
    <message>
        <source>Get the roster from the central server</source>
        <translation>Obtener la lista del servidor central</translation>
    </message>
    <message>
        <source>Asks the central server for the list of people now.</source>
        <translation>Pide ahora la lista de personas al servidor central.</translation>
    </message>
    <message>
        <source>Next not enrolled</source>
        <translation>Siguiente sin registrar</translation>
    </message>
    <message>
        <source>Selects the next person of the group who is not enrolled yet.</source>
        <translation>Elige la siguiente persona del grupo que aún no está registrada.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Opens the selected person.</source>
        <translation>Abre la persona elegida.</translation>
    </message>
    <message>
        <source>{group} ({n})</source>
        <translation>{group} ({n})</translation>
    </message>
    <message>
        <source>The roster cannot be read</source>
        <translation>No se puede leer la lista de personas</translation>
    </message>
    <message>
        <source>Before enrolling, this station needs the list of people. Get it from the central server with the button below, or ask an administrator to import a CSV file with:</source>
        <translation>Antes de registrar, este puesto necesita la lista de personas. Obténgala del servidor central con el botón de abajo, o pida a un administrador que importe un archivo CSV con:</translation>
    </message>
    <message>
        <source>Before enrolling, this station needs the list of people. No central server is set up, so ask an administrator to import a CSV file with:</source>
        <translation>Antes de registrar, este puesto necesita la lista de personas. No hay servidor central configurado: pida a un administrador que importe un archivo CSV con:</translation>
    </message>
    <message>
        <source>The roster is empty</source>
        <translation>La lista de personas está vacía</translation>
    </message>
    <message>
        <source>No one matches “{q}”</source>
        <translation>Nadie coincide con «{q}»</translation>
    </message>
    <message>
        <source>Check the spelling, or search by ID.</source>
        <translation>Revise la ortografía, o busque por identificador.</translation>
    </message>
    <message>
        <source>{group}: {done} done</source>
        <translation>{group}: {done} terminados</translation>
    </message>
    <message>
        <source>{n} refused</source>
        <translation>{n} se negaron</translation>
    </message>
    <message>
        <source>{n} to go</source>
        <translation>faltan {n}</translation>
    </message>
    <message>
        <source>everyone is done</source>
        <translation>todos están terminados</translation>
    </message>
</context>
<context>
    <name>SegmentedProgress</name>
    <message>
        <source>Capture progress</source>
        <translation>Avance de la captura</translation>
    </message>
</context>
<context>
    <name>SelfTestPage</name>
    <message>
        <source>Checks the sensor, the database, the central server and the disk, and says in plain words what to do.</source>
        <translation>Comprueba el sensor, la base de datos, el servidor central y el disco, y dice con palabras sencillas qué hacer.</translation>
    </message>
    <message>
        <source>Run the self-test</source>
        <translation>Ejecutar la autoprueba</translation>
    </message>
    <message>
        <source>Checks the sensor, the database, the central server and the disk.</source>
        <translation>Comprueba el sensor, la base de datos, el servidor central y el disco.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Run the self-test again</source>
        <translation>Ejecutar de nuevo la autoprueba</translation>
    </message>
</context>
<context>
    <name>SensorPage</name>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <source>Templates stored</source>
        <translation>Plantillas guardadas</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Configured port</source>
        <translation>Puerto configurado</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>Velocidad (baudios)</translation>
    </message>
    <message>
        <source>Reconcile: compare the templates stored on the sensor with this station&apos;s records, and repair differences.</source>
        <translation>Conciliar: comparar las plantillas guardadas en el sensor con los datos de este puesto y reparar las diferencias.</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparar</translation>
    </message>
    <message>
        <source>Compares the sensor&apos;s templates with this station&apos;s records; changes nothing.</source>
        <translation>Compara las plantillas del sensor con los datos de este puesto; no cambia nada.</translation>
    </message>
    <message>
        <source>Repair the differences</source>
        <translation>Reparar las diferencias</translation>
    </message>
    <message>
        <source>Loads back or clears templates so the sensor matches the records (after a confirmation).</source>
        <translation>Recarga o borra plantillas para que el sensor coincida con los datos (tras una confirmación).</translation>
    </message>
    <message>
        <source>Change the sensor so it matches this station&apos;s records? Templates the records do not know are cleared.</source>
        <translation>¿Cambiar el sensor para que coincida con los datos de este puesto? Se borran las plantillas que los datos no conocen.</translation>
    </message>
    <message>
        <source>Yes, repair</source>
        <translation>Sí, reparar</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Trabajando…</translation>
    </message>
    <message>
        <source>The sensor could not be compared: {e}</source>
        <translation>No se pudo comparar el sensor: {e}</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Off</source>
        <translation>Desactivada</translation>
    </message>
    <message>
        <source>After each person&apos;s last finger</source>
        <translation>Tras el último dedo de cada persona</translation>
    </message>
    <message>
        <source>After every finger</source>
        <translation>Tras cada dedo</translation>
    </message>
    <message>
        <source>Sections</source>
        <translation>Secciones</translation>
    </message>
    <message>
        <source>The groups of settings; Up and Down move between them.</source>
        <translation>Los grupos de ajustes; Arriba y Abajo pasan de uno a otro.</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Mostrador</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>Nombre del puesto</translation>
    </message>
    <message>
        <source>Shown in the top bar.</source>
        <translation>Se muestra en la barra superior.</translation>
    </message>
    <message>
        <source>Station ID</source>
        <translation>Identificador del puesto</translation>
    </message>
    <message>
        <source>How the central server knows this station.</source>
        <translation>Cómo conoce el servidor central a este puesto.</translation>
    </message>
    <message>
        <source>The computer&apos;s language</source>
        <translation>El idioma del ordenador</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>The desk&apos;s language at start; each operator can change it when signing in.</source>
        <translation>El idioma del mostrador al iniciar; cada operador puede cambiarlo al iniciar sesión.</translation>
    </message>
    <message>
        <source>Sounds: a tick per press, a chime when saved</source>
        <translation>Sonidos: un clic por apoyo, un timbre al guardar</translation>
    </message>
    <message>
        <source>Sounds on or off.</source>
        <translation>Sonidos activados o no.</translation>
    </message>
    <message>
        <source>Sign out when idle for</source>
        <translation>Cerrar sesión tras una inactividad de</translation>
    </message>
    <message>
        <source>Seconds without anyone touching the desk before it signs out (with a warning).</source>
        <translation>Segundos sin que nadie toque el mostrador antes de cerrar la sesión (con un aviso).</translation>
    </message>
    <message>
        <source>Full screen, exit only with an administrator PIN</source>
        <translation>Pantalla completa, salir solo con un PIN de administrador</translation>
    </message>
    <message>
        <source>Kiosk mode on or off.</source>
        <translation>Modo quiosco activado o no.</translation>
    </message>
    <message>
        <source>Enrollment</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>Fingers per person</source>
        <translation>Dedos por persona</translation>
    </message>
    <message>
        <source>How many fingers make a person done.</source>
        <translation>Cuántos dedos terminan a una persona.</translation>
    </message>
    <message>
        <source>Check after enrollment</source>
        <translation>Comprobación tras el registro</translation>
    </message>
    <message>
        <source>One more press, found by the sensor&apos;s search as a reader will find it.</source>
        <translation>Un apoyo más, encontrado por la búsqueda del sensor como lo hará un lector.</translation>
    </message>
    <message>
        <source>Wait for a finger</source>
        <translation>Espera de un dedo</translation>
    </message>
    <message>
        <source>Seconds the sensor waits for each press; the capture screen counts down.</source>
        <translation>Segundos que el sensor espera cada apoyo; la pantalla de captura los cuenta hacia atrás.</translation>
    </message>
    <message>
        <source>Consent notice</source>
        <translation>Aviso de consentimiento</translation>
    </message>
    <message>
        <source>Notice language</source>
        <translation>Idioma del aviso</translation>
    </message>
    <message>
        <source>Which language&apos;s notice is shown below.</source>
        <translation>De qué idioma es el aviso que se muestra abajo.</translation>
    </message>
    <message>
        <source>Notice version</source>
        <translation>Versión del aviso</translation>
    </message>
    <message>
        <source>Change it whenever the text changes: each consent records it.</source>
        <translation>Cámbiela cada vez que cambie el texto: cada consentimiento la anota.</translation>
    </message>
    <message>
        <source>What the person reads before consenting.</source>
        <translation>Lo que la persona lee antes de consentir.</translation>
    </message>
    <message>
        <source>Alternative if refused</source>
        <translation>Alternativa si se niega</translation>
    </message>
    <message>
        <source>What is offered to someone who says no.</source>
        <translation>Lo que se ofrece a quien dice que no.</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <source>Sensor</source>
        <translation>Sensor</translation>
    </message>
    <message>
        <source>Find it automatically</source>
        <translation>Encontrarlo automáticamente</translation>
    </message>
    <message>
        <source>USB port</source>
        <translation>Puerto USB</translation>
    </message>
    <message>
        <source>Where the sensor is plugged in; automatic finds it by itself.</source>
        <translation>Dónde está conectado el sensor; en automático, el puesto lo encuentra solo.</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Probar</translation>
    </message>
    <message>
        <source>Asks the port whether a sensor answers.</source>
        <translation>Pregunta al puerto si responde un sensor.</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Servidor central</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <source>The central server&apos;s address, from its administrator.</source>
        <translation>La dirección del servidor central, que da su administrador.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>This station&apos;s login.</source>
        <translation>El usuario de acceso de este puesto.</translation>
    </message>
    <message>
        <source>Leave empty to keep the stored password</source>
        <translation>Déjelo vacío para conservar la contraseña guardada</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Kept in the station&apos;s secret store, not in the settings file.</source>
        <translation>Se guarda en el almacén secreto del puesto, no en el archivo de configuración.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Probar la conexión</translation>
    </message>
    <message>
        <source>One login with the settings as typed, not yet saved.</source>
        <translation>Un acceso con la configuración tal como está escrita, aún sin guardar.</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>Certificados</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>Archivo de la autoridad (CA)</translation>
    </message>
    <message>
        <source>The central server&apos;s CA certificate</source>
        <translation>El certificado CA del servidor central</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Certificado del puesto</translation>
    </message>
    <message>
        <source>This station&apos;s certificate</source>
        <translation>El certificado de este puesto</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>Clave del puesto</translation>
    </message>
    <message>
        <source>This station&apos;s private key</source>
        <translation>La clave privada de este puesto</translation>
    </message>
    <message>
        <source>Usually set by the provisioning file from the central server.</source>
        <translation>Suele fijarlo el archivo de alta del servidor central.</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Guardar la configuración</translation>
    </message>
    <message>
        <source>Writes every section to the settings file; they apply after a restart.</source>
        <translation>Escribe todas las secciones en el archivo de configuración; se aplican tras reiniciar.</translation>
    </message>
    <message>
        <source>Changes apply after a restart.</source>
        <translation>Los cambios se aplican tras reiniciar.</translation>
    </message>
    <message>
        <source>Asking {port}…</source>
        <translation>Consultando {port}…</translation>
    </message>
    <message>
        <source>✓ {port} is in use by the station — it answers ({model}).</source>
        <translation>✓ {port} lo usa el puesto — responde ({model}).</translation>
    </message>
    <message>
        <source>sensor</source>
        <translation>sensor</translation>
    </message>
    <message>
        <source>✓ A sensor answers on {port}. {message}</source>
        <translation>✓ Un sensor responde en {port}. {message}</translation>
    </message>
    <message>
        <source>✗ No working sensor on {port}: {message}</source>
        <translation>✗ Ningún sensor que funcione en {port}: {message}</translation>
    </message>
    <message>
        <source>Type the server address first.</source>
        <extracomment>The key this station already trusts (&quot;&quot; on a station never provisioned).</extracomment>
        <translation>Escriba primero la dirección del servidor.</translation>
    </message>
    <message>
        <source>Connecting to {url}…</source>
        <translation>Conectando con {url}…</translation>
    </message>
    <message>
        <source>✓ Connected: the server accepted the station&apos;s login.</source>
        <translation>✓ Conectado: el servidor aceptó el acceso del puesto.</translation>
    </message>
    <message>
        <source>✗ The server refused this user name and password.</source>
        <translation>✗ El servidor rechazó este usuario y esta contraseña.</translation>
    </message>
    <message>
        <source>✗ Secure connection failed (certificate or CA file): {t}</source>
        <translation>✗ Falló la conexión segura (certificado o archivo CA): {t}</translation>
    </message>
    <message>
        <source>✗ These settings cannot work: {t}</source>
        <extracomment>Why it was refused (&quot;&quot; when it worked); nothing was changed then.</extracomment>
        <translation>✗ Esta configuración no puede funcionar: {t}</translation>
    </message>
    <message>
        <source>✗ Cannot reach the server: {t}. Check the address and the network.</source>
        <extracomment>The settings as written, for restarting sync. How many audit entries a report reads at most to find the checks after enrollment. Everyone the policy says must go, oldest first. Of those, the ones deleted now (empty on a dry run). Sensor slots still to clear (the sensor is not connected), over all deletions. Header spellings seen in registrar and HR exports → our column. How the header was understood, e.g. ``{&quot;student_id&quot;: &quot;external_id&quot;}`` (renamed only). The text encoding the file was read with. Third-party modules the frozen build must carry (import name, why it matters). Packages whose every submodule is imported; migration scripts are data, not modules. The probe&apos;s own explanation (English, technical), for the admin page and the log. The engine&apos;s outcome as the attempt record (and central&apos;s figures) keep it. The last delivery error, or central&apos;s rejection reason. &gt; 0 while a pending row waits on back-off. After central&apos;s deletion request removed templates (non-blocking; see SyncWorker). What the heartbeat tells central about the sensor (no I/O: the last known state). A password given for this run (``kiosk sync --password-file``) instead of the store&apos;s. The translation context of every catalogue string. New central-server settings are in use (after provisioning). The tab each page is on (the self-test and the diagnostics bundle share one). The signed-in administrator, named in the audit log for every change made here. Headings for the steps ``kiosk provision`` reports (translated where shown). New settings are in use (sync restarted): the window refreshes its status bar. Who is signed in (named in the audit log for every change an admin page makes). Retry and failure codes in the words of the desk (the codes stay in the CSV and JSON). The check after enrollment, in words (the policy&apos;s values in the settings file).</extracomment>
        <translation>✗ No se puede llegar al servidor: {t}. Revise la dirección y la red.</translation>
    </message>
    <message>
        <source>Saved. Restart the program to use them.</source>
        <translation>Guardada. Reinicie el programa para usarla.</translation>
    </message>
    <message>
        <source>Not saved: {e}</source>
        <translation>No guardado: {e}</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>Your name in the list of operators.</source>
        <translation>Su nombre en la lista de operadores.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Su nombre</translation>
    </message>
    <message>
        <source>The first administrator&apos;s name, as colleagues will see it.</source>
        <translation>El nombre del primer administrador, tal como lo verán los compañeros.</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>At least 4 digits. Enter signs in.</source>
        <translation>Al menos 4 cifras. Intro inicia la sesión.</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>PIN otra vez</translation>
    </message>
    <message>
        <source>The same PIN once more.</source>
        <translation>El mismo PIN otra vez.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>The language of the desk for this session.</source>
        <translation>El idioma del mostrador para esta sesión.</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <source>Create the first administrator</source>
        <translation>Crear el primer administrador</translation>
    </message>
    <message>
        <source>This station has no operators yet. The first account is an administrator who can add the others.</source>
        <translation>Este puesto aún no tiene operadores. La primera cuenta es un administrador que puede añadir a los demás.</translation>
    </message>
    <message>
        <source>Choose your name and type your PIN.</source>
        <translation>Elija su nombre y escriba su PIN.</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>Crear administrador</translation>
    </message>
    <message>
        <source>Creates the account and signs it in.</source>
        <translation>Crea la cuenta e inicia su sesión.</translation>
    </message>
    <message>
        <source>Signs in with the chosen name and PIN.</source>
        <translation>Inicia sesión con el nombre y el PIN elegidos.</translation>
    </message>
    <message>
        <source>That did not work: {e}</source>
        <translation>No ha funcionado: {e}</translation>
    </message>
    <message>
        <source>The PIN is at least 4 digits.</source>
        <translation>El PIN tiene al menos 4 cifras.</translation>
    </message>
    <message>
        <source>Type your name.</source>
        <translation>Escriba su nombre.</translation>
    </message>
    <message>
        <source>The two PINs are different. Type them again.</source>
        <translation>Los dos PIN son distintos. Escríbalos de nuevo.</translation>
    </message>
    <message>
        <source>Wrong PIN. {n} tries left before a short lock.</source>
        <translation>PIN erróneo. Quedan {n} intentos antes de un bloqueo corto.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN erróneo.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {s} seconds, or ask an administrator.</source>
        <translation>Demasiados PIN erróneos. Vuelva a intentarlo en {s} segundos, o pida ayuda a un administrador.</translation>
    </message>
</context>
<context>
    <name>SimBanner</name>
    <message>
        <source>SIMULATED SENSOR — training mode: nothing captured here is a real fingerprint</source>
        <translation>SENSOR SIMULADO — modo de formación: nada de lo que se captura aquí es una huella real</translation>
    </message>
</context>
<context>
    <name>SimPanel</name>
    <message>
        <source>Simulated person</source>
        <extracomment>The simulated person&apos;s panel: wide enough for its buttons&apos; words in every language.</extracomment>
        <translation>Persona simulada</translation>
    </message>
    <message>
        <source>Simulated finger</source>
        <translation>Dedo simulado</translation>
    </message>
    <message>
        <source>The finger the buttons below place and press.</source>
        <translation>El dedo que colocan y apoyan los botones de abajo.</translation>
    </message>
    <message>
        <source>Place this finger</source>
        <translation>Colocar este dedo</translation>
    </message>
    <message>
        <source>Press and lift</source>
        <translation>Apoyar y levantar</translation>
    </message>
    <message>
        <source>Lift</source>
        <translation>Levantar</translation>
    </message>
    <message>
        <source>Lift too early</source>
        <translation>Levantar demasiado pronto</translation>
    </message>
    <message>
        <source>Place a different finger</source>
        <translation>Colocar otro dedo</translation>
    </message>
    <message>
        <source>Next capture messy</source>
        <translation>Siguiente captura borrosa</translation>
    </message>
    <message>
        <source>Puts the chosen finger on the sensor and keeps it there.</source>
        <translation>Coloca el dedo elegido en el sensor y lo deja ahí.</translation>
    </message>
    <message>
        <source>Puts the chosen finger on the sensor, then lifts it.</source>
        <translation>Coloca el dedo elegido en el sensor y luego lo levanta.</translation>
    </message>
    <message>
        <source>Lifts the finger off the sensor.</source>
        <translation>Levanta el dedo del sensor.</translation>
    </message>
    <message>
        <source>Touches the sensor and lifts before the print is read.</source>
        <translation>Toca el sensor y se levanta antes de que se lea la huella.</translation>
    </message>
    <message>
        <source>Places a finger that is not the one being enrolled.</source>
        <translation>Coloca un dedo que no es el que se registra.</translation>
    </message>
    <message>
        <source>Places a finger enrolled earlier in this session.</source>
        <translation>Coloca un dedo registrado antes en esta sesión.</translation>
    </message>
    <message>
        <source>The next capture comes out smudged.</source>
        <translation>La siguiente captura sale borrosa.</translation>
    </message>
    <message>
        <source>Unplug the sensor</source>
        <translation>Desconectar el sensor</translation>
    </message>
    <message>
        <source>Plug the sensor back in</source>
        <translation>Volver a conectar el sensor</translation>
    </message>
    <message>
        <source>Pulls the simulated USB cable.</source>
        <translation>Desconecta el cable USB simulado.</translation>
    </message>
    <message>
        <source>Plugs the simulated USB cable back in.</source>
        <translation>Vuelve a conectar el cable USB simulado.</translation>
    </message>
    <message>
        <source>Messy capture armed</source>
        <translation>Captura borrosa preparada</translation>
    </message>
    <message>
        <source>Acting as: {p}, {f}</source>
        <translation>Actúa como: {p}, {f}</translation>
    </message>
    <message>
        <source>Start a capture first.</source>
        <translation>Inicie antes una captura.</translation>
    </message>
    <message>
        <source>Place a saved finger</source>
        <translation>Colocar un dedo guardado</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Sensor</source>
        <translation>Sensor</translation>
    </message>
    <message>
        <source>Administrators: opens the sensor page.</source>
        <translation>Administradores: abre la página del sensor.</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Servidor central</translation>
    </message>
    <message>
        <source>Administrators: opens the sync queue.</source>
        <translation>Administradores: abre la cola de envío.</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>En espera de envío</translation>
    </message>
</context>
<context>
    <name>SyncQueuePage</name>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Qué</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Persona</translation>
    </message>
    <message>
        <source>Finger</source>
        <translation>Dedo</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Intentos</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Antigüedad</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Waiting for the central server</source>
        <translation>En espera del servidor central</translation>
    </message>
    <message>
        <source>Each message not yet received by the central server, with why.</source>
        <translation>Cada mensaje que el servidor central aún no ha recibido, con el motivo.</translation>
    </message>
    <message>
        <source>Nothing is waiting: everything this station recorded has reached the central server.</source>
        <translation>Nada en espera: todo lo que registró este puesto llegó al servidor central.</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Enviar ahora</translation>
    </message>
    <message>
        <source>Sends what is waiting and fetches the roster now.</source>
        <translation>Envía lo que espera y trae la lista ahora.</translation>
    </message>
    <message>
        <source>Retry selected now</source>
        <translation>Reenviar lo elegido ahora</translation>
    </message>
    <message>
        <source>Sends the selected messages again now.</source>
        <translation>Reenvía ahora los mensajes elegidos.</translation>
    </message>
    <message>
        <source>Retry all now</source>
        <translation>Reenviar todo ahora</translation>
    </message>
    <message>
        <source>Sends every waiting or refused message again now.</source>
        <translation>Reenvía ahora todos los mensajes en espera o rechazados.</translation>
    </message>
    <message>
        <source>Waiting to be sent</source>
        <translation>En espera de envío</translation>
    </message>
    <message>
        <source>Sent, waiting for the server&apos;s receipt</source>
        <translation>Enviados, esperando el acuse del servidor</translation>
    </message>
    <message>
        <source>Rejected by the central server</source>
        <translation>Rechazados por el servidor central</translation>
    </message>
    <message>
        <source>Received by the central server</source>
        <translation>Recibidos por el servidor central</translation>
    </message>
    <message>
        <source>Oldest waiting for</source>
        <translation>El más antiguo espera desde</translation>
    </message>
    <message>
        <source>Last successful sync</source>
        <translation>Último envío correcto</translation>
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
        <translation>{n} días</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En espera</translation>
    </message>
    <message>
        <source>Sent, no receipt yet</source>
        <translation>Enviado, sin acuse de recibo</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Huella</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Consentimiento</translation>
    </message>
    <message>
        <source>Deletion receipt</source>
        <translation>Recibo de borrado</translation>
    </message>
    <message>
        <source>{reason} · next try in {t}</source>
        <translation>{reason} · próximo intento en {t}</translation>
    </message>
    <message>
        <source>Reason: {r}</source>
        <translation>Motivo: {r}</translation>
    </message>
    <message>
        <source>{n} message(s) will be sent now.</source>
        <translation>{n} mensaje(s) se enviarán ahora.</translation>
    </message>
    <message>
        <source>No central server is set up: import a provisioning file on the Central server page.</source>
        <translation>No hay servidor central configurado: importe un archivo de alta en la página Servidor central.</translation>
    </message>
    <message>
        <source>Enrollment record</source>
        <translation>Registro de inscripción</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Registro de auditoría</translation>
    </message>
    <message>
        <source>Sensor slots still to clear</source>
        <translation>Posiciones del sensor aún por borrar</translation>
    </message>
    <message>
        <source>Deleted prints still on the sensor: {n} (slots {slots}). They are cleared as soon as the sensor is connected; central hears it then.</source>
        <translation>Huellas eliminadas que siguen en el sensor: {n} (posiciones {slots}). Se borran en cuanto el sensor esté conectado; el servidor central lo sabrá entonces.</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>The administrator&apos;s pages: self-test, settings, figures, operators.</source>
        <translation>Las páginas del administrador: autoprueba, configuración, cifras, operadores.</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <source>Signs you out; the next operator starts from an empty desk.</source>
        <translation>Cierra su sesión; el siguiente operador empieza con el mostrador vacío.</translation>
    </message>
    <message>
        <source>Operator: {name}</source>
        <translation>Operador: {name}</translation>
    </message>
    <message>
        <source>Finish or cancel the capture first.</source>
        <translation>Termine o cancele antes la captura.</translation>
    </message>
</context>
<context>
    <name>kiosk</name>
    <message>
        <source>Fingerprint sensor</source>
        <extracomment>How long a deletion waits for the sensor worker to clear the slots now. Sensor slots the deleted templates occupied. Of those, the ones still to clear (the sensor is not connected). Tells sync there is a receipt to send (called after every deletion). Sensor slots whose templates were deleted here and are still to be cleared. The audit trail&apos;s hash chain, walked entry by entry. Templates that no longer open with the station&apos;s key (damaged inside the file). Rows a search returns: more than fit on the screen is only slower; typing narrows it down. The newest record may be this far &quot;in the future&quot; before the clock is called wrong. Earliest plausible date: a clock before this has lost its battery/NTP.</extracomment>
        <translation>Sensor de huellas</translation>
    </message>
    <message>
        <source>Simulated sensor answers ({where}). This is training mode, not a real sensor.</source>
        <translation>El sensor simulado responde ({where}). Es el modo de formación, no un sensor real.</translation>
    </message>
    <message>
        <source>The sensor answers ({where}).</source>
        <translation>El sensor responde ({where}).</translation>
    </message>
    <message>
        <source>The sensor reports a problem.</source>
        <translation>El sensor indica un problema.</translation>
    </message>
    <message>
        <source>Plug the sensor&apos;s USB cable in. The station finds it by itself within a few seconds; no restart is needed.</source>
        <translation>Conecte el cable USB del sensor. El puesto lo encuentra solo en unos segundos; no hace falta reiniciar.</translation>
    </message>
    <message>
        <source>Check the USB cable and that the sensor&apos;s light is on. If a port is set by hand in the settings, check it, or set it back to automatic (kiosk sensor list shows what is plugged in).</source>
        <translation>Revise el cable USB y que la luz del sensor esté encendida. Si hay un puerto fijado a mano en la configuración, revíselo o vuelva a ponerlo en automático (kiosk sensor list muestra lo que está conectado).</translation>
    </message>
    <message>
        <source>Unplug the sensor, plug it back in, and run the self-test again.</source>
        <translation>Desconecte el sensor, vuelva a conectarlo y ejecute de nuevo la autoprueba.</translation>
    </message>
    <message>
        <source>Sensor and database</source>
        <translation>Sensor y base de datos</translation>
    </message>
    <message>
        <source>Not compared: the sensor is not connected.</source>
        <translation>Sin comparar: el sensor no está conectado.</translation>
    </message>
    <message>
        <source>Connect the sensor and run the check again.</source>
        <translation>Conecte el sensor y vuelva a comprobar.</translation>
    </message>
    <message>
        <source>Repair on the Sensor page of the admin area, or run: kiosk sensor reconcile --repair</source>
        <translation>Repare en la página Sensor de la administración, o ejecute: kiosk sensor reconcile --repair</translation>
    </message>
    <message>
        <source>Station database</source>
        <translation>Base de datos del puesto</translation>
    </message>
    <message>
        <source>The database cannot be read: {error}</source>
        <translation>No se puede leer la base de datos: {error}</translation>
    </message>
    <message>
        <source>The database answers ({ms} ms) but the roster is empty.</source>
        <translation>La base de datos responde ({ms} ms) pero la lista de personas está vacía.</translation>
    </message>
    <message>
        <source>Get the roster from the central server, or import a CSV file with kiosk roster import FILE.csv.</source>
        <translation>Obtenga la lista de personas del servidor central, o importe un archivo CSV con kiosk roster import ARCHIVO.csv.</translation>
    </message>
    <message>
        <source>The database answers ({n} people, {ms} ms).</source>
        <translation>La base de datos responde ({n} personas, {ms} ms).</translation>
    </message>
    <message>
        <source>Export the diagnostics bundle and call support.</source>
        <translation>Exporte el paquete de diagnóstico y llame al soporte.</translation>
    </message>
    <message>
        <source>The broker refused this station&apos;s login: ask central for a new provisioning file (kiosk provision FILE).</source>
        <translation>El servidor de mensajes rechazó el acceso de este puesto: pida al servidor central un nuevo archivo de alta (kiosk provision ARCHIVO).</translation>
    </message>
    <message>
        <source>The broker&apos;s certificate was not accepted: re-import the provisioning file, or check the CA file in the settings.</source>
        <translation>No se aceptó el certificado del servidor de mensajes: vuelva a importar el archivo de alta o revise el archivo CA en la configuración.</translation>
    </message>
    <message>
        <source>The sync settings are incomplete: import a provisioning file (kiosk provision FILE).</source>
        <translation>La configuración de envío está incompleta: importe un archivo de alta (kiosk provision ARCHIVO).</translation>
    </message>
    <message>
        <source>Check the network cable or Wi-Fi of this station.</source>
        <translation>Revise el cable de red o el wifi de este puesto.</translation>
    </message>
    <message>
        <source>Check the network; if other stations are also offline, the central broker is down — tell central&apos;s administrator.</source>
        <translation>Revise la red; si otros puestos también están sin conexión, el servidor de mensajes central está caído — avise al administrador del servidor central.</translation>
    </message>
    <message>
        <source>The broker refused the connection: tell central&apos;s administrator.</source>
        <translation>El servidor de mensajes rechazó la conexión: avise al administrador del servidor central.</translation>
    </message>
    <message>
        <source>Central server</source>
        <translation>Servidor central</translation>
    </message>
    <message>
        <source>No central server is set up: enrollments stay on this station.</source>
        <translation>No hay servidor central configurado: los registros se quedan en este puesto.</translation>
    </message>
    <message>
        <source>To sync, import a provisioning file: kiosk provision FILE.</source>
        <translation>Para enviar, importe un archivo de alta: kiosk provision ARCHIVO.</translation>
    </message>
    <message>
        <source>{n} enrollment(s) waiting to be sent.</source>
        <translation>{n} registro(s) esperando envío.</translation>
    </message>
    <message>
        <source>Connected to the central server. {waiting}</source>
        <translation>Conectado al servidor central. {waiting}</translation>
    </message>
    <message>
        <source>Still connecting to the central server. {waiting}</source>
        <translation>Conectando todavía con el servidor central. {waiting}</translation>
    </message>
    <message>
        <source>Run the check again in a minute; if it stays like this, check the network.</source>
        <translation>Vuelva a comprobar dentro de un minuto; si sigue igual, revise la red.</translation>
    </message>
    <message>
        <source>Not connected to the central server ({reason}: {detail}). Enrollments are kept on this station and sent when it is back. {waiting}</source>
        <translation>Sin conexión con el servidor central ({reason}: {detail}). Los registros se guardan en este puesto y se envían cuando vuelva. {waiting}</translation>
    </message>
    <message>
        <source>Disk space</source>
        <translation>Espacio en disco</translation>
    </message>
    <message>
        <source>The data folder cannot be checked: {error}</source>
        <translation>No se puede comprobar la carpeta de datos: {error}</translation>
    </message>
    <message>
        <source>Check that the data folder exists and the disk is present.</source>
        <translation>Compruebe que la carpeta de datos existe y que el disco está presente.</translation>
    </message>
    <message>
        <source>Only {gb} GB free. New enrollments may fail.</source>
        <translation>Solo quedan {gb} GB libres. Los nuevos registros pueden fallar.</translation>
    </message>
    <message>
        <source>Free some space on the disk that holds the data folder.</source>
        <translation>Libere espacio en el disco de la carpeta de datos.</translation>
    </message>
    <message>
        <source>{gb} GB free — enough for now, but getting low.</source>
        <translation>{gb} GB libres — basta por ahora, pero va bajando.</translation>
    </message>
    <message>
        <source>{gb} GB free.</source>
        <translation>{gb} GB libres.</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Reloj</translation>
    </message>
    <message>
        <source>Set the date and time of this PC (and turn on automatic time), then run the check again.</source>
        <translation>Ajuste la fecha y la hora de este PC (y active la hora automática) y vuelva a comprobar.</translation>
    </message>
    <message>
        <source>The clock says {time} UTC, which cannot be right.</source>
        <translation>El reloj marca {time} UTC, lo que no puede ser correcto.</translation>
    </message>
    <message>
        <source>The clock ({time} UTC) is behind the newest record ({newest} UTC).</source>
        <translation>El reloj ({time} UTC) va por detrás del registro más reciente ({newest} UTC).</translation>
    </message>
    <message>
        <source>The clock says {time} UTC.</source>
        <translation>El reloj marca {time} UTC.</translation>
    </message>
    <message>
        <source>Log files</source>
        <translation>Registros del programa</translation>
    </message>
    <message>
        <source>The log folder cannot be written: {error}</source>
        <translation>No se puede escribir en la carpeta de registros: {error}</translation>
    </message>
    <message>
        <source>Check the permissions of the data folder.</source>
        <translation>Revise los permisos de la carpeta de datos.</translation>
    </message>
    <message>
        <source>The log folder is writable.</source>
        <translation>Se puede escribir en la carpeta de registros.</translation>
    </message>
    <message>
        <source>The check itself failed: {error}</source>
        <translation>La propia comprobación falló: {error}</translation>
    </message>
    <message>
        <source>right thumb</source>
        <translation>pulgar derecho</translation>
    </message>
    <message>
        <source>right index finger</source>
        <translation>índice derecho</translation>
    </message>
    <message>
        <source>right middle finger</source>
        <translation>dedo medio derecho</translation>
    </message>
    <message>
        <source>right ring finger</source>
        <translation>anular derecho</translation>
    </message>
    <message>
        <source>right little finger</source>
        <translation>meñique derecho</translation>
    </message>
    <message>
        <source>left thumb</source>
        <translation>pulgar izquierdo</translation>
    </message>
    <message>
        <source>left index finger</source>
        <translation>índice izquierdo</translation>
    </message>
    <message>
        <source>left middle finger</source>
        <translation>dedo medio izquierdo</translation>
    </message>
    <message>
        <source>left ring finger</source>
        <translation>anular izquierdo</translation>
    </message>
    <message>
        <source>left little finger</source>
        <translation>meñique izquierdo</translation>
    </message>
    <message>
        <source>Lift your finger</source>
        <translation>Levante el dedo</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Let&apos;s start this finger again. Lift your {finger}.</source>
        <translation>Empecemos de nuevo este dedo. Levante su {finger}.</translation>
    </message>
    <message>
        <source>Place your {finger} on the sensor</source>
        <translation>Coloque su {finger} en el sensor</translation>
    </message>
    <message>
        <source>Place your {finger} again</source>
        <translation>Coloque otra vez su {finger}</translation>
    </message>
    <message>
        <source>Place your {finger} one last time</source>
        <translation>Coloque su {finger} por última vez</translation>
    </message>
    <message>
        <source>Again: place your {finger}</source>
        <translation>Otra vez: coloque su {finger}</translation>
    </message>
    <message>
        <source>The sensor could not read the finger. Place it flat and still.</source>
        <translation>El sensor no pudo leer el dedo. Colóquelo plano y quieto.</translation>
    </message>
    <message>
        <source>The print is too faint. Press a little harder.</source>
        <translation>La huella es demasiado tenue. Apriete un poco más.</translation>
    </message>
    <message>
        <source>The print is smudged. Dry the finger and wipe the glass.</source>
        <translation>La huella está emborronada. Seque el dedo y limpie el cristal.</translation>
    </message>
    <message>
        <source>The print is unclear. Wipe the glass and place the finger again.</source>
        <translation>La huella no está clara. Limpie el cristal y vuelva a colocar el dedo.</translation>
    </message>
    <message>
        <source>Press flatter so the finger covers the window.</source>
        <translation>Apoye más plano para que el dedo cubra el cristal.</translation>
    </message>
    <message>
        <source>That was a different finger. Use the same finger each time.</source>
        <translation>Era otro dedo. Use el mismo dedo cada vez.</translation>
    </message>
    <message>
        <source>The print was not clear enough. Place the finger again, flat.</source>
        <translation>La huella no era lo bastante nítida. Vuelva a colocar el dedo, bien plano.</translation>
    </message>
    <message>
        <source>The presses did not fit together. Use the same finger each time.</source>
        <translation>Los apoyos no encajan. Use el mismo dedo cada vez.</translation>
    </message>
    <message>
        <source>Nothing was saved for this finger.</source>
        <translation>No se guardó nada para este dedo.</translation>
    </message>
    <message>
        <source>Fingerprint saved</source>
        <translation>Huella guardada</translation>
    </message>
    <message>
        <source>The {finger} is saved on this station.</source>
        <translation>El {finger} está guardado en este puesto.</translation>
    </message>
    <message>
        <source>This finger is already registered</source>
        <translation>Este dedo ya está registrado</translation>
    </message>
    <message>
        <source>Please ask the supervisor.</source>
        <translation>Por favor, consulte al supervisor.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>No finger was placed</source>
        <translation>No se colocó ningún dedo</translation>
    </message>
    <message>
        <source>The sensor waited {seconds} seconds for the finger. Nothing was saved for this finger.</source>
        <translation>El sensor esperó el dedo {seconds} segundos. No se guardó nada para este dedo.</translation>
    </message>
    <message>
        <source>Start again when the person is ready.</source>
        <translation>Vuelva a empezar cuando la persona esté lista.</translation>
    </message>
    <message>
        <source>The finger stayed on the sensor</source>
        <translation>El dedo se quedó en el sensor</translation>
    </message>
    <message>
        <source>Each press needs the finger lifted in between. Nothing was saved for this finger.</source>
        <translation>Hay que levantar el dedo entre un apoyo y otro. No se guardó nada para este dedo.</translation>
    </message>
    <message>
        <source>Lift the finger, then start again.</source>
        <translation>Levante el dedo y vuelva a empezar.</translation>
    </message>
    <message>
        <source>The sensor was unplugged</source>
        <translation>Se desconectó el sensor</translation>
    </message>
    <message>
        <source>“Try again” turns on as soon as the sensor is back.</source>
        <translation>«Reintentar» se activa en cuanto vuelva el sensor.</translation>
    </message>
    <message>
        <source>The sensor is not connected</source>
        <translation>El sensor no está conectado</translation>
    </message>
    <message>
        <source>Plug the sensor in; “Try again” turns on as soon as the station sees it.</source>
        <translation>Conecte el sensor; «Reintentar» se activa en cuanto el puesto lo detecta.</translation>
    </message>
    <message>
        <source>This finger could not be enrolled</source>
        <translation>No se pudo registrar este dedo</translation>
    </message>
    <message>
        <source>Too many unclear presses. {why} Nothing was saved for this finger.</source>
        <translation>Demasiados apoyos poco claros. {why} No se guardó nada para este dedo.</translation>
    </message>
    <message>
        <source>Try another finger, or clean the sensor glass.</source>
        <translation>Pruebe otro dedo, o limpie el cristal del sensor.</translation>
    </message>
    <message>
        <source>The {finger} did not give the same print three times. Nothing was saved for this finger.</source>
        <translation>El {finger} no dio tres veces la misma huella. No se guardó nada para este dedo.</translation>
    </message>
    <message>
        <source>Try another finger.</source>
        <translation>Pruebe otro dedo.</translation>
    </message>
    <message>
        <source>The sensor&apos;s memory is full</source>
        <translation>La memoria del sensor está llena</translation>
    </message>
    <message>
        <source>Ask an administrator to remove old templates.</source>
        <translation>Pida a un administrador que borre plantillas antiguas.</translation>
    </message>
    <message>
        <source>The fingerprint could not be saved</source>
        <translation>No se pudo guardar la huella</translation>
    </message>
    <message>
        <source>The station could not write to its database. Nothing was saved for this finger.</source>
        <translation>El puesto no pudo escribir en su base de datos. No se guardó nada para este dedo.</translation>
    </message>
    <message>
        <source>Check the disk, then try again.</source>
        <translation>Revise el disco y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>The sensor did not read the saved print back correctly. Nothing was saved for this finger.</source>
        <translation>El sensor no volvió a leer bien la huella guardada. No se guardó nada para este dedo.</translation>
    </message>
    <message>
        <source>Start the finger again.</source>
        <translation>Empiece de nuevo el dedo.</translation>
    </message>
    <message>
        <source>The sensor had a problem</source>
        <translation>El sensor tuvo un problema</translation>
    </message>
    <message>
        <source>Try again. If it happens again, unplug the sensor and plug it back in.</source>
        <translation>Vuelva a intentarlo. Si se repite, desconecte el sensor y vuelva a conectarlo.</translation>
    </message>
    <message>
        <source>The sensor is back. Press “Try again” when the person is ready.</source>
        <translation>El sensor ha vuelto. Pulse «Reintentar» cuando la persona esté lista.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Place your {finger} once more to check it</source>
        <translation>Coloque una vez más su {finger} para comprobarlo</translation>
    </message>
    <message>
        <source>Fingerprint saved and checked</source>
        <translation>Huella guardada y comprobada</translation>
    </message>
    <message>
        <source>The sensor found the {finger} again, as a reader will.</source>
        <translation>El sensor volvió a encontrar el {finger}, como lo hará un lector.</translation>
    </message>
    <message>
        <source>The check did not recognise this finger</source>
        <translation>La comprobación no reconoció este dedo</translation>
    </message>
    <message>
        <source>The {finger} is saved, but the sensor did not find it again. A reader could fail the same way.</source>
        <translation>El {finger} está guardado, pero el sensor no volvió a encontrarlo. Un lector podría fallar igual.</translation>
    </message>
    <message>
        <source>Check once more, or enroll this finger again.</source>
        <translation>Compruebe otra vez, o registre de nuevo este dedo.</translation>
    </message>
    <message>
        <source>The check could not read the finger</source>
        <translation>La comprobación no pudo leer el dedo</translation>
    </message>
    <message>
        <source>The {finger} is saved; the presses for the check were unclear.</source>
        <translation>El {finger} está guardado; los apoyos de la comprobación no eran claros.</translation>
    </message>
    <message>
        <source>No finger was placed for the check. The {finger} is saved.</source>
        <translation>No se colocó ningún dedo para la comprobación. El {finger} está guardado.</translation>
    </message>
    <message>
        <source>The check was skipped. The {finger} is saved.</source>
        <translation>Se saltó la comprobación. El {finger} está guardado.</translation>
    </message>
    <message>
        <source>The sensor was unplugged during the check. The {finger} is saved.</source>
        <translation>Se desconectó el sensor durante la comprobación. El {finger} está guardado.</translation>
    </message>
    <message>
        <source>The sensor had a problem during the check. The {finger} is saved.</source>
        <translation>El sensor tuvo un problema durante la comprobación. El {finger} está guardado.</translation>
    </message>
    <message>
        <source>Fingerprint saved, not checked</source>
        <translation>Huella guardada, sin comprobar</translation>
    </message>
    <message>
        <source>The sensor holds this finger in slot {slot}, but this station&apos;s records do not say whose it is. Reconcile the sensor on the Sensor page.</source>
        <translation>El sensor guarda este dedo en la posición {slot}, pero los datos de este puesto no dicen de quién es. Concilie el sensor en la página Sensor.</translation>
    </message>
    <message>
        <source>Already enrolled as {name} ({id}), {finger}.</source>
        <translation>Ya registrado para {name} ({id}), {finger}.</translation>
    </message>
    <message>
        <source>The sensor and the database agree.</source>
        <extracomment>Distributions whose versions support wants to see (read from metadata: no Qt import here). Where the station&apos;s secrets are kept, in words (the only sentence screens use). A copy of the data folder carries the key with it (no OS key store on this computer). The data key&apos;s fingerprint, or None when no key was made yet.</extracomment>
        <translation>El sensor y la base de datos coinciden.</translation>
    </message>
    <message>
        <source>{n} template(s) recorded here are missing on the sensor (slots {slots}); those people are not recognised until the templates are loaded back.</source>
        <translation>Faltan en el sensor {n} plantilla(s) anotadas aquí (posiciones {slots}); esas personas no se reconocen hasta que se recarguen.</translation>
    </message>
    <message>
        <source>The sensor holds {n} template(s) this station has no record of (slots {slots}); they should be cleared.</source>
        <translation>El sensor guarda {n} plantilla(s) que este puesto no conoce (posiciones {slots}); deberían borrarse.</translation>
    </message>
    <message>
        <source>{n} deleted template(s) are still on the sensor (slots {slots}) and must be cleared.</source>
        <translation>{n} plantilla(s) borrada(s) siguen en el sensor (posiciones {slots}) y hay que borrarlas.</translation>
    </message>
    <message>
        <source>Loaded back {restored}, cleared {cleared}.</source>
        <translation>Recargadas: {restored}, borradas: {cleared}.</translation>
    </message>
    <message>
        <source>Slot {slot}: the template was erased here after central received it; enroll the person again.</source>
        <translation>Posición {slot}: la plantilla se borró aquí después de que el servidor central la recibiera; registre de nuevo a la persona.</translation>
    </message>
    <message>
        <source>Slot {slot}: no template is recorded for it any more.</source>
        <translation>Posición {slot}: ya no hay ninguna plantilla anotada para ella.</translation>
    </message>
    <message>
        <source>No sensor found yet. Check the USB cable and that the sensor&apos;s light is on.</source>
        <translation>Aún no se encontró ningún sensor. Revise el cable USB y que la luz del sensor esté encendida.</translation>
    </message>
    <message>
        <source>The sensor is unplugged. Plug it back in; work resumes by itself.</source>
        <translation>El sensor está desconectado. Vuelva a conectarlo; el trabajo se reanuda solo.</translation>
    </message>
    <message>
        <source>The sensor stopped answering. Unplug it and plug it back in.</source>
        <translation>El sensor dejó de responder. Desconéctelo y vuelva a conectarlo.</translation>
    </message>
    <message>
        <source>The sensor&apos;s port is not there. Check the USB cable and the port setting.</source>
        <translation>El puerto del sensor no está. Revise el cable USB y el ajuste del puerto.</translation>
    </message>
    <message>
        <source>Another program is using the sensor&apos;s port. Close it; the station keeps trying.</source>
        <translation>Otro programa usa el puerto del sensor. Ciérrelo; el puesto lo sigue intentando.</translation>
    </message>
    <message>
        <source>This user may not open the sensor&apos;s port. Ask IT to grant serial access.</source>
        <translation>Este usuario no puede abrir el puerto del sensor. Pida a informática acceso a los puertos serie.</translation>
    </message>
    <message>
        <source>The station cannot start: {e}</source>
        <translation>El puesto no puede arrancar: {e}</translation>
    </message>
    <message>
        <source>Refused · alternative offered</source>
        <translation>Se negó · alternativa ofrecida</translation>
    </message>
    <message>
        <source>Consent withdrawn</source>
        <translation>Consentimiento retirado</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>Sin registrar</translation>
    </message>
    <message>
        <source>{n} of {m} fingers</source>
        <translation>{n}/{m} dedos</translation>
    </message>
    <message>
        <source>Done: {n} of {m} fingers</source>
        <translation>Terminado: {n}/{m} dedos</translation>
    </message>
    <message>
        <source>Done: {n} fingers</source>
        <translation>Terminado: {n} dedos</translation>
    </message>
    <message>
        <source>synced</source>
        <translation>enviado</translation>
    </message>
    <message>
        <source>waiting to sync</source>
        <translation>en espera de envío</translation>
    </message>
    <message>
        <source>SIMULATED sensor · unplugged</source>
        <translation>Sensor SIMULADO · desconectado</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>ocupado</translation>
    </message>
    <message>
        <source>SIMULATED sensor</source>
        <translation>Sensor SIMULADO</translation>
    </message>
    <message>
        <source>Sensor unplugged — plug it in</source>
        <translation>Sensor desconectado — conéctelo</translation>
    </message>
    <message>
        <source>Looking for the sensor…</source>
        <translation>Buscando el sensor…</translation>
    </message>
    <message>
        <source>Sensor problem — open the self-test</source>
        <translation>Problema del sensor — abra la autoprueba</translation>
    </message>
    <message>
        <source>Sensor ready</source>
        <translation>Sensor listo</translation>
    </message>
    <message>
        <source>Central server: not set up</source>
        <translation>Servidor central: no configurado</translation>
    </message>
    <message>
        <source>Central server: online</source>
        <translation>Servidor central: conectado</translation>
    </message>
    <message>
        <source>Central server refused the login — check the credentials</source>
        <translation>El servidor central rechazó el acceso — revise las credenciales</translation>
    </message>
    <message>
        <source>Central server certificate problem — check the TLS files</source>
        <translation>Problema de certificado del servidor central — revise los archivos TLS</translation>
    </message>
    <message>
        <source>Central server settings are incomplete — open the admin area</source>
        <translation>La configuración del servidor central está incompleta — abra la administración</translation>
    </message>
    <message>
        <source>Central server: offline since {t}</source>
        <translation>Servidor central: sin conexión desde las {t}</translation>
    </message>
    <message>
        <source>Saved on this station only</source>
        <translation>Guardado solo en este puesto</translation>
    </message>
    <message>
        <source>{n} waiting · {r} rejected</source>
        <translation>{n} en espera · {r} rechazados</translation>
    </message>
    <message>
        <source>{n} waiting to sync</source>
        <translation>{n} en espera de envío</translation>
    </message>
    <message>
        <source>Everything synced</source>
        <translation>Todo enviado</translation>
    </message>
    <message>
        <source>Data key</source>
        <translation>Clave de los datos</translation>
    </message>
    <message>
        <source>Templates are sealed with a key kept in {where}. A copy of the whole data folder carries the key with it.</source>
        <translation>Las plantillas se cifran con una clave guardada en {where}. Una copia de toda la carpeta de datos lleva la clave consigo.</translation>
    </message>
    <message>
        <source>Keep the data folder on an encrypted disk, or run the station where the system offers a key store (Windows DPAPI, a desktop key ring).</source>
        <translation>Guarde la carpeta de datos en un disco cifrado, o ejecute el puesto donde el sistema ofrezca un almacén de claves (Windows DPAPI, un llavero de escritorio).</translation>
    </message>
    <message>
        <source>Templates are sealed with a key kept in {where}.</source>
        <translation>Las plantillas se cifran con una clave guardada en {where}.</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Registro de auditoría</translation>
    </message>
    <message>
        <source>{n} entries, the hash chain is intact.</source>
        <translation>{n} entradas, la cadena de hash está intacta.</translation>
    </message>
    <message>
        <source>The audit trail was changed: its hash chain breaks at entry {seq} ({kind}).</source>
        <translation>El registro de auditoría fue modificado: su cadena de hash se rompe en la entrada {seq} ({kind}).</translation>
    </message>
    <message>
        <source>Keep this database as evidence and tell your data-protection officer (kiosk db verify-audit shows the details).</source>
        <translation>Conserve esta base de datos como prueba y avise a su delegado de protección de datos (kiosk db verify-audit muestra los detalles).</translation>
    </message>
    <message>
        <source>Deletions</source>
        <translation>Eliminaciones</translation>
    </message>
    <message>
        <source>Every deleted template is gone from the sensor too.</source>
        <translation>Cada plantilla eliminada ha desaparecido también del sensor.</translation>
    </message>
    <message>
        <source>{n} sensor slot(s) of deleted templates are still to be cleared ({slots}).</source>
        <translation>Quedan {n} posición(es) del sensor de plantillas eliminadas por borrar ({slots}).</translation>
    </message>
    <message>
        <source>Connect the fingerprint sensor: the slots are cleared as soon as it is.</source>
        <translation>Conecte el sensor de huellas: las posiciones se borran en cuanto lo esté.</translation>
    </message>
    <message>
        <source>The station&apos;s disk is full</source>
        <translation>El disco de la estación está lleno</translation>
    </message>
    <message>
        <source>This fingerprint was not saved. Everything saved before is safe.</source>
        <translation>Esta huella no se guardó. Todo lo guardado antes está a salvo.</translation>
    </message>
    <message>
        <source>Ask an administrator to free space on the station&apos;s disk, then enroll this finger again.</source>
        <translation>Pida a un administrador que libere espacio en el disco de la estación y vuelva a registrar este dedo.</translation>
    </message>
</context>
</TS>
