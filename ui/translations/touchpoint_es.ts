<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
    <context>
        <name>ApduDetail</name>
        <message>
            <source>%1 — secure channel: %2</source>
            <translation>%1 — canal seguro: %2</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>Comando</translation>
        </message>
        <message>
            <source>Answer</source>
            <translation>Respuesta</translation>
        </message>
        <message>
            <source>No answer</source>
            <translation>Sin respuesta</translation>
        </message>
        <message>
            <source>Header</source>
            <translation>Cabecera</translation>
        </message>
        <message>
            <source>Command data</source>
            <translation>Datos del comando</translation>
        </message>
        <message>
            <source>Select a row of the trace to see its APDU explained.</source>
            <translation>Seleccione una fila de la traza para ver su APDU explicada.</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>Campo</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Valor</translation>
        </message>
        <message>
            <source>APDU fields</source>
            <translation>Campos de la APDU</translation>
        </message>
        <message>
            <source>APDU in hex</source>
            <translation>APDU en hexadecimal</translation>
        </message>
    </context>
    <context>
        <name>AppsScreen</name>
        <message>
            <location filename="../kiosk/apps.py" line="61" />
            <source>Applications for your card</source>
            <translation>Aplicaciones para su tarjeta</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="62" />
            <source>Card %1</source>
            <translation>Tarjeta %1</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="63" />
            <source>Finish</source>
            <translation>Terminar</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="64" />
            <source>Finish and start over</source>
            <translation>Terminar y empezar de nuevo</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="65" />
            <source>Applications</source>
            <translation>Aplicaciones</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="66" />
            <source>No applications are available right now.</source>
            <translation>No hay aplicaciones disponibles en este momento.</translation>
        </message>
        <message>
            <source>Forgets your card so the next person can start</source>
            <translation>Olvida su tarjeta para que la siguiente persona pueda empezar</translation>
        </message>
        <message>
            <source>Choose an application to see what you can do with it</source>
            <translation>Elija una aplicación para ver qué puede hacer con ella</translation>
        </message>
    </context>
    <context>
        <name>AttractScreen</name>
        <message>
            <location filename="../kiosk/attract.py" line="130" />
            <source>Hold your card to the reader</source>
            <translation>Acerque su tarjeta al lector</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" line="131" />
            <source>See the applications on your card, add new ones and manage them.</source>
            <translation>Vea las aplicaciones de su tarjeta, añada otras nuevas y gestiónelas.</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" line="133" />
            <location filename="../kiosk/attract.py" line="134" />
            <source>Use the demo card</source>
            <translation>Usar la tarjeta de demostración</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Starts with a virtual card instead of your own</source>
            <translation>Empieza con una tarjeta virtual en lugar de la suya</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Large text</source>
            <translation>Texto grande</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Makes all text bigger</source>
            <translation>Agranda todo el texto</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>High contrast</source>
            <translation>Alto contraste</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>White and yellow on black</source>
            <translation>Blanco y amarillo sobre negro</translation>
        </message>
    </context>
    <context>
        <name>DesktopWindow</name>
        <message>
            <location filename="../windows.py" line="258" />
            <source>Card services touch point</source>
            <translation>Punto de servicio de tarjetas</translation>
        </message>
        <message>
            <location filename="../windows.py" line="259" />
            <source>Card</source>
            <translation>Tarjeta</translation>
        </message>
        <message>
            <location filename="../windows.py" line="260" />
            <source>Staff</source>
            <translation>Personal</translation>
        </message>
        <message>
            <location filename="../windows.py" line="261" />
            <source>Tester</source>
            <translation>Pruebas</translation>
        </message>
    </context>
    <context>
        <name>DetailScreen</name>
        <message>
            <location filename="../kiosk/detail.py" line="173" />
            <location filename="../kiosk/detail.py" line="213" />
            <source>Choose how to install</source>
            <translation>Elija cómo instalar</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="195" />
            <source>Back</source>
            <translation>Atrás</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="196" />
            <source>Back to the applications</source>
            <translation>Volver a las aplicaciones</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="207" />
            <source>State: %1</source>
            <translation>Estado: %1</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="209" />
            <source>Something went wrong the last time this application was changed on your card. Uninstall it, then install it again.</source>
            <translation>Algo falló la última vez que se modificó esta aplicación en su tarjeta. Desinstálela y vuelva a instalarla.</translation>
        </message>
        <message>
            <source>Shows all the applications of your card again</source>
            <translation>Vuelve a mostrar todas las aplicaciones de su tarjeta</translation>
        </message>
    </context>
    <context>
        <name>GppTools</name>
        <message>
            <source>Save the trace as a GlobalPlatformPro log</source>
            <translation>Guardar la traza como registro de GlobalPlatformPro</translation>
        </message>
        <message>
            <source>Open a GlobalPlatformPro log</source>
            <translation>Abrir un registro de GlobalPlatformPro</translation>
        </message>
        <message>
            <source>GlobalPlatformPro log (*.txt *.log)</source>
            <translation>Registro de GlobalPlatformPro (*.txt *.log)</translation>
        </message>
        <message>
            <source>Saved %1 exchanges to %2 (the whole trace: a log keeps each command with its answer).</source>
            <translation>%1 intercambios guardados en %2 (toda la traza: un registro guarda cada comando con su respuesta).</translation>
        </message>
        <message>
            <source>Opened %1 exchanges from %2. Replay sends them to the card.</source>
            <translation>%1 intercambios abiertos de %2. Repetir los envía a la tarjeta.</translation>
        </message>
        <message>
            <source>Wait for the run to end.</source>
            <translation>Espere a que termine la ejecución.</translation>
        </message>
        <message>
            <source>Nothing to replay: open a GlobalPlatformPro log or run a service first.</source>
            <translation>Nada que repetir: abra primero un registro de GlobalPlatformPro o ejecute un servicio.</translation>
        </message>
        <message>
            <source>No card in %1.</source>
            <translation>No hay tarjeta en %1.</translation>
        </message>
        <message>
            <source>Replaying %1 commands…</source>
            <translation>Repitiendo %1 comandos…</translation>
        </message>
        <message>
            <source>Replay: %1</source>
            <translation>Repetición: %1</translation>
        </message>
        <message>
            <source>Save as GPPro log…</source>
            <translation>Guardar como registro GPPro…</translation>
        </message>
        <message>
            <source>Open a GPPro log…</source>
            <translation>Abrir un registro GPPro…</translation>
        </message>
        <message>
            <source>Replay on the card</source>
            <translation>Repetir en la tarjeta</translation>
        </message>
        <message>
            <source>Sends the opened log&apos;s commands (or this trace&apos;s) to the card and compares the answers</source>
            <translation>Envía a la tarjeta los comandos del registro abierto (o de esta traza) y compara las respuestas</translation>
        </message>
    </context>
    <context>
        <name>KioskView</name>
        <message>
            <location filename="../kiosk/view.py" line="105" />
            <location filename="../kiosk/view.py" line="274" />
            <source>The service is not available right now.</source>
            <translation>El servicio no está disponible en este momento.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="230" />
            <source>Your card was removed. Hold it to the reader to start again.</source>
            <translation>Se retiró su tarjeta. Acérquela al lector para empezar de nuevo.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="257" />
            <source>Reading your card…</source>
            <translation>Leyendo su tarjeta…</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="266" />
            <source>This card cannot be used here.</source>
            <translation>Esta tarjeta no se puede usar aquí.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="269" />
            <source>The card could not be read. Hold it still on the reader and try again.</source>
            <translation>No se pudo leer la tarjeta. Manténgala quieta sobre el lector e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="375" />
            <location filename="../kiosk/view.py" line="447" />
            <source>One moment…</source>
            <translation>Un momento…</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="443" />
            <source>Hold your card to the reader to see its applications.</source>
            <translation>Acerque su tarjeta al lector para ver sus aplicaciones.</translation>
        </message>
        <message numerus="yes">
            <location filename="../kiosk/view.py" line="475" />
            <source>The screen will start over in %n second(s).</source>
            <translation>
                <numerusform>La pantalla se reiniciará en %n segundo.</numerusform>
                <numerusform>La pantalla se reiniciará en %n segundos.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="487" />
            <source>No staff PIN is set. Set one with: touchpoint --set-staff-pin</source>
            <translation>No hay PIN de personal. Defínalo con: touchpoint --set-staff-pin</translation>
        </message>
        <message numerus="yes">
            <location filename="../kiosk/view.py" line="503" />
            <source>Too many wrong PINs. Wait %n second(s).</source>
            <translation>
                <numerusform>Demasiados PIN incorrectos. Espere %n segundo.</numerusform>
                <numerusform>Demasiados PIN incorrectos. Espere %n segundos.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="504" />
            <source>Wrong PIN.</source>
            <translation>PIN incorrecto.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="515" />
            <source>Card services</source>
            <translation>Servicios de tarjeta</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="516" />
            <location filename="../kiosk/view.py" line="524" />
            <source>Staff</source>
            <translation>Personal</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="517" />
            <source>Staff login</source>
            <translation>Acceso del personal</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="522" />
            <source>Still there?</source>
            <translation>¿Sigue ahí?</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="523" />
            <source>I'm still here</source>
            <translation>Sigo aquí</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="525" />
            <source>Personalise cards</source>
            <translation>Personalizar tarjetas</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="526" />
            <source>Exit kiosk mode</source>
            <translation>Salir del modo quiosco</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="527" />
            <source>Back to the kiosk</source>
            <translation>Volver al quiosco</translation>
        </message>
        <message>
            <source>Asks for the staff PIN</source>
            <translation>Pide el PIN del personal</translation>
        </message>
        <message>
            <source>Keeps your session open</source>
            <translation>Mantiene abierta su sesión</translation>
        </message>
        <message>
            <source>Delivers one service to a stack of cards, one after the other</source>
            <translation>Entrega un servicio a un lote de tarjetas, una tras otra</translation>
        </message>
        <message>
            <source>Closes the kiosk program</source>
            <translation>Cierra el programa del quiosco</translation>
        </message>
        <message>
            <source>Closes this menu</source>
            <translation>Cierra este menú</translation>
        </message>
    </context>
    <context>
        <name>KioskWindow</name>
        <message>
            <location filename="../windows.py" line="91" />
            <source>Card services</source>
            <translation>Servicios de tarjeta</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <location filename="../labels.py" line="19" />
            <source>Installed</source>
            <translation>Instalada</translation>
        </message>
        <message>
            <location filename="../labels.py" line="21" />
            <source>Suspended</source>
            <translation>Suspendida</translation>
        </message>
        <message>
            <location filename="../labels.py" line="23" />
            <source>Needs repair</source>
            <translation>Necesita reparación</translation>
        </message>
        <message>
            <location filename="../labels.py" line="24" />
            <source>Not installed</source>
            <translation>No instalada</translation>
        </message>
        <message>
            <location filename="../labels.py" line="29" />
            <source>Install</source>
            <translation>Instalar</translation>
        </message>
        <message>
            <location filename="../labels.py" line="31" />
            <source>Uninstall</source>
            <translation>Desinstalar</translation>
        </message>
        <message>
            <location filename="../labels.py" line="33" />
            <source>Suspend</source>
            <translation>Suspender</translation>
        </message>
        <message>
            <location filename="../labels.py" line="35" />
            <source>Unsuspend</source>
            <translation>Reactivar</translation>
        </message>
        <message>
            <location filename="../labels.py" line="41" />
            <source>Getting the service ready</source>
            <translation>Preparando el servicio</translation>
        </message>
        <message>
            <location filename="../labels.py" line="42" />
            <source>Starting</source>
            <translation>Iniciando</translation>
        </message>
        <message>
            <location filename="../labels.py" line="43" />
            <source>Waiting for the service provider</source>
            <translation>Esperando al proveedor del servicio</translation>
        </message>
        <message>
            <location filename="../labels.py" line="44" />
            <source>Writing to your card</source>
            <translation>Escribiendo en su tarjeta</translation>
        </message>
        <message>
            <location filename="../labels.py" line="45" />
            <source>Waiting for your answer</source>
            <translation>Esperando su respuesta</translation>
        </message>
        <message>
            <location filename="../labels.py" line="46" />
            <source>Finished</source>
            <translation>Terminado</translation>
        </message>
        <message>
            <location filename="../labels.py" line="47" />
            <location filename="../labels.py" line="74" />
            <source>Failed</source>
            <translation>Falló</translation>
        </message>
        <message>
            <location filename="../labels.py" line="48" />
            <location filename="../labels.py" line="60" />
            <location filename="../labels.py" line="76" />
            <source>Cancelled</source>
            <translation>Cancelado</translation>
        </message>
        <message>
            <location filename="../labels.py" line="56" />
            <source>Done</source>
            <translation>Hecho</translation>
        </message>
        <message>
            <location filename="../labels.py" line="57" />
            <source>The service could not be completed</source>
            <translation>No se pudo completar el servicio</translation>
        </message>
        <message>
            <location filename="../labels.py" line="58" />
            <source>The card was removed before the service finished</source>
            <translation>Se retiró la tarjeta antes de que terminara el servicio</translation>
        </message>
        <message>
            <location filename="../labels.py" line="61" />
            <source>The card reader failed</source>
            <translation>Falló el lector de tarjetas</translation>
        </message>
        <message>
            <location filename="../labels.py" line="62" />
            <source>The service is not available right now</source>
            <translation>El servicio no está disponible en este momento</translation>
        </message>
        <message>
            <location filename="../labels.py" line="64" />
            <source>This is not possible in the application's current state</source>
            <translation>No es posible en el estado actual de la aplicación</translation>
        </message>
        <message>
            <location filename="../labels.py" line="73" />
            <source>OK</source>
            <translation>Aceptar</translation>
        </message>
        <message>
            <location filename="../labels.py" line="75" />
            <source>Card removed</source>
            <translation>Tarjeta retirada</translation>
        </message>
        <message>
            <location filename="../labels.py" line="77" />
            <source>Reader error</source>
            <translation>Error del lector</translation>
        </message>
        <message>
            <location filename="../labels.py" line="78" />
            <source>Backend error</source>
            <translation>Error del servidor</translation>
        </message>
        <message>
            <location filename="../labels.py" line="79" />
            <source>Not allowed</source>
            <translation>No permitido</translation>
        </message>
        <message>
            <source>Adds this application to your card</source>
            <translation>Añade esta aplicación a su tarjeta</translation>
        </message>
        <message>
            <source>Removes this application and what it stored from your card</source>
            <translation>Elimina esta aplicación y lo que guardó de su tarjeta</translation>
        </message>
        <message>
            <source>Pauses this application until it is unsuspended</source>
            <translation>Suspende esta aplicación hasta que se reactive</translation>
        </message>
        <message>
            <source>Makes this application usable again</source>
            <translation>Hace que esta aplicación se pueda usar de nuevo</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>A different card was placed</source>
            <translation>Se colocó otra tarjeta</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>Different card</source>
            <translation>Otra tarjeta</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>Uninstalls this application with what it left on the card, then installs it again</source>
            <translation>Desinstala esta aplicación con todo lo que dejó en la tarjeta y luego la vuelve a instalar</translation>
        </message>
    </context>
    <context>
        <name>LanguageBar</name>
        <message>
            <location filename="../widgets/langbar.py" line="40" />
            <source>Language</source>
            <translation>Idioma</translation>
        </message>
        <message>
            <location filename="../widgets/langbar.py" line="42" />
            <source>Language: %1</source>
            <translation>Idioma: %1</translation>
        </message>
        <message>
            <source>Shows the screens in this language</source>
            <translation>Muestra las pantallas en este idioma</translation>
        </message>
    </context>
    <context>
        <name>PinPad</name>
        <message>
            <location filename="../widgets/pinpad.py" line="65" />
            <source>Staff PIN</source>
            <translation>PIN del personal</translation>
        </message>
        <message>
            <location filename="../widgets/pinpad.py" line="66" />
            <location filename="../widgets/pinpad.py" line="67" />
            <source>Clear</source>
            <translation>Borrar</translation>
        </message>
        <message>
            <location filename="../widgets/pinpad.py" line="68" />
            <source>OK</source>
            <translation>Aceptar</translation>
        </message>
        <message>
            <location filename="../widgets/pinpad.py" line="70" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/pinpad.py" line="71" />
            <location filename="../widgets/pinpad.py" line="92" />
            <source>PIN entered: %n digit(s)</source>
            <translation>
                <numerusform>PIN introducido: %n dígito</numerusform>
                <numerusform>PIN introducido: %n dígitos</numerusform>
            </translation>
        </message>
        <message>
            <source>Removes the digits entered</source>
            <translation>Borra los dígitos introducidos</translation>
        </message>
        <message>
            <source>Checks the PIN</source>
            <translation>Comprueba el PIN</translation>
        </message>
        <message>
            <source>Closes the PIN pad</source>
            <translation>Cierra el teclado del PIN</translation>
        </message>
        <message>
            <source>Adds this digit to the PIN</source>
            <translation>Añade este dígito al PIN</translation>
        </message>
    </context>
    <context>
        <name>ReaderPanel</name>
        <message>
            <location filename="../widgets/readerpanel.py" line="59" />
            <location filename="../widgets/readerpanel.py" line="60" />
            <source>Readers</source>
            <translation>Lectores</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="61" />
            <source>Put virtual card</source>
            <translation>Poner la tarjeta virtual</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="62" />
            <source>Take virtual card away</source>
            <translation>Quitar la tarjeta virtual</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="63" />
            <source>New virtual card</source>
            <translation>Nueva tarjeta virtual</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="75" />
            <source>card present</source>
            <translation>tarjeta presente</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="75" />
            <source>no card</source>
            <translation>sin tarjeta</translation>
        </message>
        <message>
            <source>Virtual card (cardsim)</source>
            <translation>Tarjeta virtual (cardsim)</translation>
        </message>
    </context>
    <context>
        <name>ServiceScreen</name>
        <message>
            <location filename="../kiosk/service.py" line="228" />
            <source>free</source>
            <translation>gratis</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="229" />
            <source>Price: %1</source>
            <translation>Precio: %1</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="232" />
            <location filename="../kiosk/service.py" line="300" />
            <source>Confirm</source>
            <translation>Confirmar</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="233" />
            <location filename="../kiosk/service.py" line="301" />
            <source>Continue</source>
            <translation>Continuar</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="251" />
            <source>Working</source>
            <translation>Trabajando</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="253" />
            <source>Starting</source>
            <translation>Iniciando</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="254" />
            <source>Do not remove your card</source>
            <translation>No retire su tarjeta</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="256" />
            <source>%1 of %2 steps</source>
            <translation>%1 de %2 pasos</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="283" />
            <source>Hold your card to the reader again to see the application's state. An unfinished application can be uninstalled.</source>
            <translation>Vuelva a acercar la tarjeta al lector para ver el estado de la aplicación. Una aplicación a medio instalar se puede desinstalar.</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="286" />
            <source>Please try again later or ask the staff for help.</source>
            <translation>Inténtelo más tarde o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="289" />
            <source>Back to your applications</source>
            <translation>Volver a sus aplicaciones</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="299" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="302" />
            <source>Price</source>
            <translation>Precio</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="303" />
            <source>Progress</source>
            <translation>Progreso</translation>
        </message>
        <message>
            <source>Goes back without changing your card</source>
            <translation>Vuelve atrás sin cambiar su tarjeta</translation>
        </message>
        <message>
            <source>Starts the service on your card</source>
            <translation>Inicia el servicio en su tarjeta</translation>
        </message>
        <message>
            <source>Shows your applications with their state now</source>
            <translation>Muestra sus aplicaciones con su estado actual</translation>
        </message>
    </context>
    <context>
        <name>StaffGate</name>
        <message>
            <location filename="../windows.py" line="155" />
            <source>The two PINs differ.</source>
            <translation>Los dos PIN no coinciden.</translation>
        </message>
        <message>
            <location filename="../windows.py" line="176" />
            <source>Wrong PIN.</source>
            <translation>PIN incorrecto.</translation>
        </message>
        <message>
            <location filename="../windows.py" line="180" />
            <source>No secure keyring is available: the staff PIN hash is kept in %1 (readable only by this user).</source>
            <translation>No hay un llavero seguro: el hash del PIN del personal se guarda en %1 (solo lo puede leer este usuario).</translation>
        </message>
        <message>
            <location filename="../windows.py" line="185" />
            <source>Staff mode is protected by the staff PIN</source>
            <translation>El modo de personal está protegido por el PIN del personal</translation>
        </message>
        <message>
            <location filename="../windows.py" line="186" />
            <source>New staff PIN (4 to 12 digits)</source>
            <translation>Nuevo PIN del personal (4 a 12 dígitos)</translation>
        </message>
        <message>
            <location filename="../windows.py" line="187" />
            <source>The same PIN again</source>
            <translation>El mismo PIN otra vez</translation>
        </message>
        <message>
            <location filename="../windows.py" line="188" />
            <source>Set the PIN</source>
            <translation>Guardar el PIN</translation>
        </message>
        <message>
            <location filename="../staff/gate.py" />
            <source>The PIN must have %1 to %2 digits, and digits only.</source>
            <translation>El PIN debe tener de %1 a %2 dígitos, y solo dígitos.</translation>
        </message>
        <message>
            <location filename="../staff/gate.py" />
            <source>The PIN could not be saved. Check that the data folder can be written, or ask an administrator.</source>
            <translation>No se pudo guardar el PIN. Compruebe que se puede escribir en la carpeta de datos o consulte a un administrador.</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/panel.py" line="175" />
            <source>The backend is not available: %1</source>
            <translation>El servidor no está disponible: %1</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="253" />
            <source>Values per card (CSV)</source>
            <translation>Valores por tarjeta (CSV)</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="254" />
            <location filename="../staff/panel.py" line="393" />
            <source>CSV files (*.csv)</source>
            <translation>Archivos CSV (*.csv)</translation>
        </message>
        <message numerus="yes">
            <location filename="../staff/panel.py" line="271" />
            <source>%n card row(s) from %1</source>
            <translation>
                <numerusform>%n fila de tarjeta de %1</numerusform>
                <numerusform>%n filas de tarjeta de %1</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="298" />
            <source>Stopped</source>
            <translation>Detenido</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="326" />
            <source>Tap the next card</source>
            <translation>Acerque la siguiente tarjeta</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="331" />
            <source>Take the card away</source>
            <translation>Retire la tarjeta</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="344" />
            <source>Working on the card… do not remove it</source>
            <translation>Trabajando con la tarjeta… no la retire</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="354" />
            <source>already done: not delivered again</source>
            <translation>ya hecho: no se vuelve a entregar</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="374" />
            <source>Skipped</source>
            <translation>Omitida</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="384" />
            <source>Cards: %1 · OK: %2 · Failed: %3 · Skipped: %4 · %5 cards/min</source>
            <translation>Tarjetas: %1 · Correctas: %2 · Fallidas: %3 · Omitidas: %4 · %5 tarjetas/min</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="391" />
            <source>Export the log</source>
            <translation>Exportar el registro</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="405" />
            <source>Log saved to %1</source>
            <translation>Registro guardado en %1</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="410" />
            <source>What to deliver</source>
            <translation>Qué entregar</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="411" />
            <source>Application</source>
            <translation>Aplicación</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="412" />
            <source>Service</source>
            <translation>Servicio</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="413" />
            <source>Values per card from CSV…</source>
            <translation>Valores por tarjeta desde CSV…</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="414" />
            <source>Same values for every card</source>
            <translation>Los mismos valores para todas las tarjetas</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="415" />
            <source>Deliver again to cards already done</source>
            <translation>Volver a entregar a tarjetas ya hechas</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="416" />
            <source>Start</source>
            <translation>Iniciar</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="417" />
            <source>Stop</source>
            <translation>Detener</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="418" />
            <source>Back to the kiosk</source>
            <translation>Volver al quiosco</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="419" />
            <source>Export log as CSV…</source>
            <translation>Exportar el registro como CSV…</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="420" />
            <source>Time</source>
            <translation>Hora</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="420" />
            <source>Card (CIN)</source>
            <translation>Tarjeta (CIN)</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="421" />
            <source>Result</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="421" />
            <source>Seconds</source>
            <translation>Segundos</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="422" />
            <source>Message</source>
            <translation>Mensaje</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="424" />
            <source>Choose the service, then press Start</source>
            <translation>Elija el servicio y pulse Iniciar</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="427" />
            <source>No secure keyring is available: the staff PIN hash is kept in %1 (readable only by this user).</source>
            <translation>No hay un llavero seguro: el hash del PIN del personal se guarda en %1 (solo lo puede leer este usuario).</translation>
        </message>
        <message>
            <source>Cards done</source>
            <translation>Tarjetas procesadas</translation>
        </message>
    </context>
    <context>
        <name>Tester</name>
        <message>
            <location filename="../tester/models.py" line="36" />
            <source>to card</source>
            <translation>a la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="38" />
            <source>from card</source>
            <translation>de la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="39" />
            <source>note</source>
            <translation>nota</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="50" />
            <location filename="../tester/models.py" line="152" />
            <source>Time</source>
            <translation>Hora</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="51" />
            <source>Direction</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="52" />
            <source>Command</source>
            <translation>Comando</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="53" />
            <source>Data</source>
            <translation>Datos</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="54" />
            <source>Status word</source>
            <translation>Palabra de estado</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="55" />
            <location filename="../tester/models.py" line="156" />
            <source>Duration (ms)</source>
            <translation>Duración (ms)</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="153" />
            <source>Method</source>
            <translation>Método</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="154" />
            <source>Path</source>
            <translation>Ruta</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="155" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <source>Card</source>
            <translation>Tarjeta</translation>
        </message>
        <message>
            <source>Left APDU</source>
            <translation>APDU izquierda</translation>
        </message>
        <message>
            <source>Left SW</source>
            <translation>SW izquierda</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <source>Right APDU</source>
            <translation>APDU derecha</translation>
        </message>
        <message>
            <source>Right SW</source>
            <translation>SW derecha</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>Ejecución</translation>
        </message>
        <message>
            <source>Seconds</source>
            <translation>Segundos</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>Servicio</translation>
        </message>
        <message>
            <source>Started</source>
            <translation>Inicio</translation>
        </message>
        <message>
            <source>running…</source>
            <translation>en curso…</translation>
        </message>
    </context>
    <context>
        <name>TesterPanel</name>
        <message>
            <location filename="../tester/panel.py" line="241" />
            <source>Connected to the bundled backend at %1</source>
            <translation>Conectado al servidor incluido en %1</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="242" />
            <source>Connected to %1</source>
            <translation>Conectado a %1</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="254" />
            <source>The backend URL must start with http:// or https://</source>
            <translation>La URL del servidor debe empezar por http:// o https://</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="257" />
            <source>Connecting…</source>
            <translation>Conectando…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="267" />
            <source>Starting the bundled backend…</source>
            <translation>Iniciando el servidor incluido…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="332" />
            <source>Choose an application and a service.</source>
            <translation>Elija una aplicación y un servicio.</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="336" />
            <source>No card in %1.</source>
            <translation>No hay tarjeta en %1.</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="350" />
            <source>Reading the card…</source>
            <translation>Leyendo la tarjeta…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="401" />
            <source>%1: %2 — %3 APDUs, %4 HTTP round trips, %5 s</source>
            <translation>%1: %2 — %3 APDU, %4 viajes HTTP, %5 s</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="436" />
            <source>Save the trace</source>
            <translation>Guardar la traza</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="438" />
            <source>JSON (*.json)</source>
            <translation>JSON (*.json)</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="439" />
            <source>Text (*.txt)</source>
            <translation>Texto (*.txt)</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="454" />
            <source>Trace saved to %1</source>
            <translation>Traza guardada en %1</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="480" />
            <source>Backend</source>
            <translation>Servidor</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="481" />
            <source>URL</source>
            <translation>URL</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="482" />
            <source>empty: the bundled backend</source>
            <translation>vacío: el servidor incluido</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="483" />
            <source>Device token</source>
            <translation>Token del dispositivo</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="484" />
            <source>Connect</source>
            <translation>Conectar</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="485" />
            <source>Use the bundled backend</source>
            <translation>Usar el servidor incluido</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="486" />
            <location filename="../tester/panel.py" line="488" />
            <source>Service</source>
            <translation>Servicio</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="487" />
            <source>Application</source>
            <translation>Aplicación</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="489" />
            <source>Refresh the list</source>
            <translation>Actualizar la lista</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="490" />
            <source>The service needs</source>
            <translation>El servicio necesita</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="491" />
            <source>Send</source>
            <translation>Enviar</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="492" />
            <source>Run</source>
            <translation>Ejecutar</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="493" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="494" />
            <source>Filter (command, data, status word…)</source>
            <translation>Filtro (comando, datos, palabra de estado…)</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="495" />
            <source>Filter the trace</source>
            <translation>Filtrar la traza</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="499" />
            <source>All</source>
            <translation>Todo</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="500" />
            <source>Commands</source>
            <translation>Comandos</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="501" />
            <source>Answers</source>
            <translation>Respuestas</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="502" />
            <source>Notes</source>
            <translation>Notas</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="505" />
            <source>Direction</source>
            <translation>Dirección</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="506" />
            <source>Copy</source>
            <translation>Copiar</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="507" />
            <source>Save as text…</source>
            <translation>Guardar como texto…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="508" />
            <source>Save as JSON…</source>
            <translation>Guardar como JSON…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="509" />
            <source>Clear</source>
            <translation>Borrar</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="510" />
            <location filename="../tester/panel.py" line="512" />
            <source>APDU trace</source>
            <translation>Traza de APDU</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="511" />
            <location filename="../tester/panel.py" line="513" />
            <source>HTTP exchanges</source>
            <translation>Intercambios HTTP</translation>
        </message>
        <message>
            <source>%1 HTTP exchanges saved to %2 (HAR)</source>
            <translation>%1 intercambios HTTP guardados en %2 (HAR)</translation>
        </message>
        <message>
            <source>%1 of %2 trace rows (as the filter shows them) saved to %3</source>
            <translation>%1 de %2 filas de la traza (como las muestra el filtro) guardadas en %3</translation>
        </message>
        <message>
            <source>Compare the two selected</source>
            <translation>Comparar las dos elegidas</translation>
        </message>
        <message>
            <source>Compared runs</source>
            <translation>Ejecuciones comparadas</translation>
        </message>
        <message>
            <source>HAR (*.har)</source>
            <translation>HAR (*.har)</translation>
        </message>
        <message>
            <source>Run %1 (left) against run %2 (right): %3 of %4 APDUs differ (highlighted)</source>
            <translation>Ejecución %1 (izquierda) frente a ejecución %2 (derecha): %3 de %4 APDU difieren (resaltadas)</translation>
        </message>
        <message>
            <source>Runs</source>
            <translation>Ejecuciones</translation>
        </message>
        <message>
            <source>Save as HAR…</source>
            <translation>Guardar como HAR…</translation>
        </message>
        <message>
            <source>Save shown as JSON…</source>
            <translation>Guardar en JSON…</translation>
        </message>
        <message>
            <source>Save shown as text…</source>
            <translation>Guardar en texto…</translation>
        </message>
        <message>
            <source>Save the HTTP exchanges</source>
            <translation>Guardar los intercambios HTTP</translation>
        </message>
        <message>
            <source>Save the trace as the filter shows it</source>
            <translation>Guardar la traza como la muestra el filtro</translation>
        </message>
        <message>
            <source>Saves all %1 rows</source>
            <translation>Guarda las %1 filas</translation>
        </message>
        <message>
            <source>Saves the %1 rows the filter shows (of %2)</source>
            <translation>Guarda las %1 filas que muestra el filtro (de %2)</translation>
        </message>
        <message>
            <source>Select two finished runs (Ctrl+click) to see their APDUs side by side</source>
            <translation>Elija dos ejecuciones terminadas (Ctrl+clic) para ver sus APDU una al lado de la otra</translation>
        </message>
        <message>
            <source>Show its trace</source>
            <translation>Mostrar su traza</translation>
        </message>
        <message>
            <source>The HTTP exchanges of the run shown, as a HAR 1.2 file for browser tools (tokens and Authorization headers masked)</source>
            <translation>Los intercambios HTTP de la ejecución mostrada, como archivo HAR 1.2 para las herramientas del navegador (tokens y cabeceras Authorization ocultos)</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>cancelada</translation>
        </message>
    </context>
    <context>
        <name>TimingChooser</name>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>Instant (virtual card)</source>
            <translation>Instantáneo (tarjeta virtual)</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>JCOP4, contact</source>
            <translation>JCOP4, con contacto</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>JCOP4, contactless</source>
            <translation>JCOP4, sin contacto</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>DESFire EV1, contactless</source>
            <translation>DESFire EV1, sin contacto</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>Card timing</source>
            <translation>Tiempos de la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>How long the virtual card takes per command: as a real card of this kind</source>
            <translation>Cuánto tarda la tarjeta virtual por comando: como una tarjeta real de este tipo</translation>
        </message>
    </context>
    <context>
        <name>ContentsView</name>
        <message numerus="yes">
            <location filename="../tester/contents.py" line="165" />
            <source>%n disagreement(s) between the card and the backend.</source>
            <translation>
                <numerusform>%n discrepancia entre la tarjeta y el servidor.</numerusform>
                <numerusform>%n discrepancias entre la tarjeta y el servidor.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="114" />
            <source>A delivery is running; the contents are read after it.</source>
            <translation>Hay una entrega en curso; el contenido se lee después.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="117" />
            <source>No card to read.</source>
            <translation>No hay ninguna tarjeta que leer.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="120" />
            <source>Reading the card contents…</source>
            <translation>Leyendo el contenido de la tarjeta…</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="130" />
            <source>The contents could not be read: %1</source>
            <translation>No se pudo leer el contenido: %1</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="149" />
            <source>on the card</source>
            <translation>en la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="150" />
            <source>not on the card</source>
            <translation>no está en la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="164" />
            <source>The card and the backend agree.</source>
            <translation>La tarjeta y el servidor coinciden.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="208" />
            <source>Fixing…</source>
            <translation>Corrigiendo…</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="219" />
            <source>The fix failed: %1</source>
            <translation>La corrección falló: %1</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="226" />
            <source>Card contents</source>
            <translation>Contenido de la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="229" />
            <source>Read the card</source>
            <translation>Leer la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>AID</source>
            <translation>AID</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>Life cycle</source>
            <translation>Ciclo de vida</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="231" />
            <source>Privileges</source>
            <translation>Privilegios</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="231" />
            <source>Associated domain</source>
            <translation>Dominio asociado</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="36" />
            <source>Application</source>
            <translation>Aplicación</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="233" />
            <source>The backend's records</source>
            <translation>Registros del servidor</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="233" />
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="234" />
            <source>On the card</source>
            <translation>En la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="235" />
            <source>Mark Unstable</source>
            <translation>Marcar como inestable</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="236" />
            <source>Purge from the card</source>
            <translation>Eliminar de la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="237" />
            <source>Adopt into</source>
            <translation>Adoptar en</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="171" />
            <source>%1 %2 of application %3 is not on the card</source>
            <translation>%1 %2 de la aplicación %3 no está en la tarjeta</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="173" />
            <source>%1 %2 is on the card but no application accounts for it</source>
            <translation>%1 %2 está en la tarjeta pero ninguna aplicación lo registra</translation>
        </message>
    </context>
    <context>
        <name>CardInput</name>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Card number</source>
            <translation>Número de tarjeta</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Expiry (MM/YY)</source>
            <translation>Caducidad (MM/AA)</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>CVV (if the card has one)</source>
            <translation>CVV (si la tarjeta tiene)</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The card number is not valid.</source>
            <translation>El número de tarjeta no es válido.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The expiry month must be 01 to 12.</source>
            <translation>El mes de caducidad debe ser de 01 a 12.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The card has expired.</source>
            <translation>La tarjeta ha caducado.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Give the card number (13 to 19 digits), its expiry as MM/YY and, if it has one, its CVV.</source>
            <translation>Indique el número de tarjeta (13 a 19 dígitos), su caducidad como MM/AA y, si la tiene, su CVV.</translation>
        </message>
    </context>
    <context>
        <name>ActionsView</name>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Please call %1</source>
            <translation>Llame al %1</translation>
        </message>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Done</source>
            <translation>Hecho</translation>
        </message>
    </context>
    <context>
        <name>TouchKeyboard</name>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Types %1</source>
            <translation>Escribe %1</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Types a space</source>
            <translation>Escribe un espacio</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Hides the keyboard; the text stays</source>
            <translation>Oculta el teclado; el texto se mantiene</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Space</source>
            <translation>Espacio</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Capital letter</source>
            <translation>Mayúscula</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Delete the last character</source>
            <translation>Borrar el último carácter</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Done</source>
            <translation>Listo</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Close the keyboard</source>
            <translation>Cerrar el teclado</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>On-screen keyboard</source>
            <translation>Teclado en pantalla</translation>
        </message>
    </context>
    <context>
        <name>FieldsForm</name>
        <message>
            <location filename="../widgets/fields.py" />
            <source>Please fill this in.</source>
            <translation>Rellena este campo.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is too short.</source>
            <translation>Es demasiado corto.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is too long.</source>
            <translation>Es demasiado largo.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is not in the form asked for.</source>
            <translation>No tiene el formato pedido.</translation>
        </message>
    </context>
    <context>
        <name>UserText</name>
        <message>
            <location filename="../usertext.py" />
            <source>The service could not be completed. Try again, or ask staff for help.</source>
            <translation>No se pudo completar el servicio. Inténtelo de nuevo o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The card was removed before the service finished. Place it on the reader and try again.</source>
            <translation>Se retiró la tarjeta antes de terminar el servicio. Colóquela en el lector e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Cancelled. Nothing more was written to the card.</source>
            <translation>Cancelado. No se escribió nada más en la tarjeta.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The card reader failed. Check the reader and try again.</source>
            <translation>El lector de tarjetas falló. Compruebe el lector e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service is not available right now. Try again in a few minutes.</source>
            <translation>El servicio no está disponible ahora. Inténtelo de nuevo dentro de unos minutos.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This is not possible in the application's current state on this card. Choose another action.</source>
            <translation>No es posible en el estado actual de la aplicación en esta tarjeta. Elija otra acción.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>No card is on the reader. Place your card on the reader.</source>
            <translation>No hay ninguna tarjeta en el lector. Coloque su tarjeta en el lector.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service cannot be reached. Check the network and try again.</source>
            <translation>No se puede contactar con el servicio. Compruebe la red e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This device is not allowed to use the service. Ask staff to check its settings.</source>
            <translation>Este dispositivo no puede usar el servicio. Pida al personal que revise su configuración.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service does not know this application or service any more. Refresh the list and try again.</source>
            <translation>El servicio ya no conoce esta aplicación o servicio. Actualice la lista e inténtelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service ended this delivery. Start again.</source>
            <translation>El servicio terminó esta entrega. Empiece de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This application cannot be repaired here: its services offer no uninstall or no install. Ask the Service Provider.</source>
            <translation>Esta aplicación no se puede reparar aquí: sus servicios no ofrecen desinstalación o instalación. Consulte al proveedor del servicio.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Something went wrong. Try again, or ask staff for help.</source>
            <translation>Algo salió mal. Inténtelo de nuevo o pida ayuda al personal.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This is a different card: nothing was written to it. The service was stopped; place the card you started with and try again.</source>
            <translation>Esta es otra tarjeta: no se escribió nada en ella. El servicio se detuvo; coloque la tarjeta con la que empezó y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The CSV file has no rows of values. Choose another file.</source>
            <translation>El archivo CSV no tiene filas de valores. Elija otro archivo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The CSV file has no column for: %1. Add the columns and load the file again.</source>
            <translation>El archivo CSV no tiene columna para: %1. Añada las columnas y cargue el archivo de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Line %1 of the CSV file has more values than columns. Correct it and load the file again.</source>
            <translation>La línea %1 del archivo CSV tiene más valores que columnas. Corríjala y cargue el archivo de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Card %1 appears twice in the CSV file (line %2). Correct it and load the file again.</source>
            <translation>La tarjeta %1 aparece dos veces en el archivo CSV (línea %2). Corríjalo y cargue el archivo de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>No row of the CSV file is left for this card. Load a file with more rows, or press Stop.</source>
            <translation>No queda ninguna fila del archivo CSV para esta tarjeta. Cargue un archivo con más filas o pulse Detener.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 could not be read. Choose another file.</source>
            <translation>No se pudo leer el archivo %1. Elija otro archivo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 is not a UTF-8 text file. Save it as CSV (UTF-8) and load it again.</source>
            <translation>El archivo %1 no es un archivo de texto UTF-8. Guárdelo como CSV (UTF-8) y cárguelo de nuevo.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The log could not be saved to %1. Choose another folder.</source>
            <translation>No se pudo guardar el registro en %1. Elija otra carpeta.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The trace could not be saved to %1. Choose another folder or name.</source>
            <translation>No se pudo guardar la traza en %1. Elija otra carpeta u otro nombre.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The HTTP exchanges could not be saved to %1. Choose another folder or name.</source>
            <translation>No se pudieron guardar los intercambios HTTP en %1. Elija otra carpeta u otro nombre.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The GlobalPlatformPro log could not be saved to %1. Choose another folder or name.</source>
            <translation>No se pudo guardar el registro de GlobalPlatformPro en %1. Elija otra carpeta u otro nombre.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 is not a GlobalPlatformPro log (the output of gp -d). Choose another file.</source>
            <translation>El archivo %1 no es un registro de GlobalPlatformPro (la salida de gp -d). Elija otro archivo.</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <location filename="../labels.py" />
            <source>Repair</source>
            <translation>Reparar</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/logtable.py" />
            <source>Cards: %1 · OK: %2 · Failed: %3 · Skipped: %4</source>
            <translation>Tarjetas: %1 · OK: %2 · Fallidas: %3 · Omitidas: %4</translation>
        </message>
        <message>
            <location filename="../staff/logtable.py" />
            <source> · %1 cards/min</source>
            <translation> · %1 tarjetas/min</translation>
        </message>
    </context>
    <context>
        <name>KioskView</name>
        <message numerus="yes">
            <location filename="../kiosk/waiting.py" />
            <source>About %n second(s) left</source>
            <translation>
                <numerusform>Queda aproximadamente %n segundo</numerusform>
                <numerusform>Quedan aproximadamente %n segundos</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/waiting.py" />
            <source>This is taking longer than usual. You can wait or cancel.</source>
            <translation>Esto está tardando más de lo habitual. Puede esperar o cancelar.</translation>
        </message>
        <message>
            <location filename="../kiosk/waiting.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
    </context>
    <context>
        <name>ServiceScreen</name>
        <message>
            <location filename="../kiosk/service.py" />
            <source>This took too long</source>
            <translation>Ha tardado demasiado</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" />
            <source>The service did not answer in time. Nothing more was done. Please try again later or ask the staff for help.</source>
            <translation>El servicio no respondió a tiempo. No se hizo nada más. Inténtelo de nuevo más tarde o pida ayuda al personal.</translation>
        </message>
    </context>
    <context>
        <name>TesterWait</name>
        <message>
            <location filename="../tester/waiting.py" />
            <source>Cancelling…</source>
            <translation>Cancelando…</translation>
        </message>
        <message numerus="yes">
            <location filename="../tester/waiting.py" />
            <source>about %n s left</source>
            <translation>
                <numerusform>queda aprox. %n s</numerusform>
                <numerusform>quedan aprox. %n s</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../tester/waiting.py" />
            <source>taking longer than usual (Cancel stops it)</source>
            <translation>tarda más de lo habitual (Cancelar lo detiene)</translation>
        </message>
        <message>
            <location filename="../tester/waiting.py" />
            <source>No answer within %1 s: the run was stopped.</source>
            <translation>Sin respuesta en %1 s: se detuvo la ejecución.</translation>
        </message>
    </context>
    <context>
        <name>StaffWait</name>
        <message>
            <location filename="../staff/waiting.py" />
            <source>This is taking longer than usual. Stop ends it.</source>
            <translation>Esto está tardando más de lo habitual. Detener lo termina.</translation>
        </message>
        <message>
            <location filename="../staff/waiting.py" />
            <source>No answer within %1 s: stopped.</source>
            <translation>Sin respuesta en %1 s: detenido.</translation>
        </message>
    </context>
    <context>
        <name>PinCheck</name>
        <message>
            <location filename="../widgets/pincheck.py" />
            <source>No staff PIN is set. Set one with: touchpoint --set-staff-pin</source>
            <translation>No hay ningún PIN de personal. Defina uno con: touchpoint --set-staff-pin</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/pincheck.py" />
            <source>Too many wrong PINs. Wait %n second(s).</source>
            <translation>
                <numerusform>Demasiados PIN incorrectos. Espere %n segundo.</numerusform>
                <numerusform>Demasiados PIN incorrectos. Espere %n segundos.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../widgets/pincheck.py" />
            <source>Wrong PIN.</source>
            <translation>PIN incorrecto.</translation>
        </message>
    </context>
    <context>
        <name>DesktopWindow</name>
        <message>
            <location filename="../windows.py" />
            <source>A delivery is running here: wait for its result or cancel it before changing tabs.</source>
            <translation>Hay una entrega en curso aquí: espere su resultado o cancélela antes de cambiar de pestaña.</translation>
        </message>
    </context>
    <context>
        <name>StaffGate</name>
        <message>
            <location filename="../staff/gate.py" />
            <source>Tester mode is protected by the staff PIN</source>
            <translation>El modo de prueba está protegido por el PIN del personal</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/panel.py" />
            <source>Repair an app that needs it (uninstall, then install)</source>
            <translation>Reparar una aplicación que lo necesite (desinstalar y luego instalar)</translation>
        </message>
    </context>
    <context>
        <name>TesterPanel</name>
        <message>
            <location filename="../tester/picker.py" />
            <source>Repair an app that needs it (uninstall, then install)</source>
            <translation>Reparar una aplicación que lo necesite (desinstalar y luego instalar)</translation>
        </message>
    </context>
    <context>
        <name>ReplaceCard</name>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Place your card again. The service goes on when the same card is back on the reader.</source>
            <translation>Coloque la tarjeta otra vez. El servicio continúa cuando la misma tarjeta vuelva al lector.</translation>
        </message>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Cancel the service</source>
            <translation>Cancelar el servicio</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/replace_card.py" />
            <source>%n second(s) left</source>
            <translation>
                <numerusform>Queda %n segundo</numerusform>
                <numerusform>Quedan %n segundos</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DetailScreen</name>
        <message>
            <location filename="../kiosk/detail.py" />
            <source>Something went wrong the last time this application was changed on your card. Tap Repair: it is uninstalled, then installed again.</source>
            <translation>Algo salió mal la última vez que se cambió esta aplicación en su tarjeta. Pulse Reparar: se desinstala y luego se instala de nuevo.</translation>
        </message>
    </context>
    <context>
        <name>FieldsForm</name>
        <message>
            <source>Asked by the service: %1</source>
            <translation>Lo pide el servicio: %1</translation>
        </message>
    </context>
</TS>
