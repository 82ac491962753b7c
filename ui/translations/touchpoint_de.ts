<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
    <context>
        <name>ApduDetail</name>
        <message>
            <source>%1 — secure channel: %2</source>
            <translation>%1 — sicherer Kanal: %2</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>Befehl</translation>
        </message>
        <message>
            <source>Answer</source>
            <translation>Antwort</translation>
        </message>
        <message>
            <source>No answer</source>
            <translation>Keine Antwort</translation>
        </message>
        <message>
            <source>Header</source>
            <translation>Kopf</translation>
        </message>
        <message>
            <source>Command data</source>
            <translation>Befehlsdaten</translation>
        </message>
        <message>
            <source>Select a row of the trace to see its APDU explained.</source>
            <translation>Wählen Sie eine Zeile des Protokolls, um ihre APDU erklärt zu sehen.</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>Feld</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Wert</translation>
        </message>
        <message>
            <source>APDU fields</source>
            <translation>APDU-Felder</translation>
        </message>
        <message>
            <source>APDU in hex</source>
            <translation>APDU in Hex</translation>
        </message>
    </context>
    <context>
        <name>AppsScreen</name>
        <message>
            <location filename="../kiosk/apps.py" line="61" />
            <source>Applications for your card</source>
            <translation>Anwendungen für Ihre Karte</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="62" />
            <source>Card %1</source>
            <translation>Karte %1</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="63" />
            <source>Finish</source>
            <translation>Fertig</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="64" />
            <source>Finish and start over</source>
            <translation>Beenden und neu beginnen</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="65" />
            <source>Applications</source>
            <translation>Anwendungen</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="66" />
            <source>No applications are available right now.</source>
            <translation>Zurzeit sind keine Anwendungen verfügbar.</translation>
        </message>
        <message>
            <source>Forgets your card so the next person can start</source>
            <translation>Vergisst Ihre Karte, damit die nächste Person beginnen kann</translation>
        </message>
        <message>
            <source>Choose an application to see what you can do with it</source>
            <translation>Wählen Sie eine Anwendung, um zu sehen, was Sie damit tun können</translation>
        </message>
    </context>
    <context>
        <name>AttractScreen</name>
        <message>
            <location filename="../kiosk/attract.py" line="130" />
            <source>Hold your card to the reader</source>
            <translation>Halten Sie Ihre Karte an das Lesegerät</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" line="131" />
            <source>See the applications on your card, add new ones and manage them.</source>
            <translation>Sehen Sie die Anwendungen auf Ihrer Karte, fügen Sie neue hinzu und verwalten Sie sie.</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" line="133" />
            <location filename="../kiosk/attract.py" line="134" />
            <source>Use the demo card</source>
            <translation>Die Demokarte verwenden</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Starts with a virtual card instead of your own</source>
            <translation>Beginnt mit einer virtuellen Karte statt Ihrer eigenen</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Large text</source>
            <translation>Große Schrift</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Makes all text bigger</source>
            <translation>Vergrößert alle Texte</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>High contrast</source>
            <translation>Hoher Kontrast</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>White and yellow on black</source>
            <translation>Weiß und Gelb auf Schwarz</translation>
        </message>
    </context>
    <context>
        <name>DesktopWindow</name>
        <message>
            <location filename="../windows.py" line="258" />
            <source>Card services touch point</source>
            <translation>Kartenservice-Terminal</translation>
        </message>
        <message>
            <location filename="../windows.py" line="259" />
            <source>Card</source>
            <translation>Karte</translation>
        </message>
        <message>
            <location filename="../windows.py" line="260" />
            <source>Staff</source>
            <translation>Personal</translation>
        </message>
        <message>
            <location filename="../windows.py" line="261" />
            <source>Tester</source>
            <translation>Tester</translation>
        </message>
    </context>
    <context>
        <name>DetailScreen</name>
        <message>
            <location filename="../kiosk/detail.py" line="173" />
            <location filename="../kiosk/detail.py" line="213" />
            <source>Choose how to install</source>
            <translation>Wählen Sie die Installationsart</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="195" />
            <source>Back</source>
            <translation>Zurück</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="196" />
            <source>Back to the applications</source>
            <translation>Zurück zu den Anwendungen</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="207" />
            <source>State: %1</source>
            <translation>Status: %1</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="209" />
            <source>Something went wrong the last time this application was changed on your card. Uninstall it, then install it again.</source>
            <translation>Bei der letzten Änderung dieser Anwendung auf Ihrer Karte ist ein Fehler aufgetreten. Deinstallieren Sie sie und installieren Sie sie dann erneut.</translation>
        </message>
        <message>
            <source>Shows all the applications of your card again</source>
            <translation>Zeigt wieder alle Anwendungen Ihrer Karte</translation>
        </message>
    </context>
    <context>
        <name>GppTools</name>
        <message>
            <source>Save the trace as a GlobalPlatformPro log</source>
            <translation>Protokoll als GlobalPlatformPro-Log speichern</translation>
        </message>
        <message>
            <source>Open a GlobalPlatformPro log</source>
            <translation>GlobalPlatformPro-Log öffnen</translation>
        </message>
        <message>
            <source>GlobalPlatformPro log (*.txt *.log)</source>
            <translation>GlobalPlatformPro-Log (*.txt *.log)</translation>
        </message>
        <message>
            <source>Saved %1 exchanges to %2 (the whole trace: a log keeps each command with its answer).</source>
            <translation>%1 Austausche in %2 gespeichert (das ganze Protokoll: ein Log hält jeden Befehl mit seiner Antwort).</translation>
        </message>
        <message>
            <source>Opened %1 exchanges from %2. Replay sends them to the card.</source>
            <translation>%1 Austausche aus %2 geöffnet. Wiederholen sendet sie an die Karte.</translation>
        </message>
        <message>
            <source>Wait for the run to end.</source>
            <translation>Warten Sie, bis der Lauf endet.</translation>
        </message>
        <message>
            <source>Nothing to replay: open a GlobalPlatformPro log or run a service first.</source>
            <translation>Nichts zu wiederholen: öffnen Sie zuerst ein GlobalPlatformPro-Log oder führen Sie einen Dienst aus.</translation>
        </message>
        <message>
            <source>No card in %1.</source>
            <translation>Keine Karte in %1.</translation>
        </message>
        <message>
            <source>Replaying %1 commands…</source>
            <translation>%1 Befehle werden wiederholt…</translation>
        </message>
        <message>
            <source>Replay: %1</source>
            <translation>Wiederholung: %1</translation>
        </message>
        <message>
            <source>Save as GPPro log…</source>
            <translation>Als GPPro-Log speichern…</translation>
        </message>
        <message>
            <source>Open a GPPro log…</source>
            <translation>GPPro-Log öffnen…</translation>
        </message>
        <message>
            <source>Replay on the card</source>
            <translation>Auf der Karte wiederholen</translation>
        </message>
        <message>
            <source>Sends the opened log&apos;s commands (or this trace&apos;s) to the card and compares the answers</source>
            <translation>Sendet die Befehle des geöffneten Logs (oder dieses Protokolls) an die Karte und vergleicht die Antworten</translation>
        </message>
    </context>
    <context>
        <name>KioskView</name>
        <message>
            <location filename="../kiosk/view.py" line="105" />
            <location filename="../kiosk/view.py" line="274" />
            <source>The service is not available right now.</source>
            <translation>Der Dienst ist zurzeit nicht verfügbar.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="230" />
            <source>Your card was removed. Hold it to the reader to start again.</source>
            <translation>Ihre Karte wurde entfernt. Halten Sie sie an das Lesegerät, um neu zu beginnen.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="257" />
            <source>Reading your card…</source>
            <translation>Ihre Karte wird gelesen…</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="266" />
            <source>This card cannot be used here.</source>
            <translation>Diese Karte kann hier nicht verwendet werden.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="269" />
            <source>The card could not be read. Hold it still on the reader and try again.</source>
            <translation>Die Karte konnte nicht gelesen werden. Halten Sie sie ruhig an das Lesegerät und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="375" />
            <location filename="../kiosk/view.py" line="447" />
            <source>One moment…</source>
            <translation>Einen Moment…</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="443" />
            <source>Hold your card to the reader to see its applications.</source>
            <translation>Halten Sie Ihre Karte an das Lesegerät, um ihre Anwendungen zu sehen.</translation>
        </message>
        <message numerus="yes">
            <location filename="../kiosk/view.py" line="475" />
            <source>The screen will start over in %n second(s).</source>
            <translation>
                <numerusform>Der Bildschirm beginnt in %n Sekunde von vorn.</numerusform>
                <numerusform>Der Bildschirm beginnt in %n Sekunden von vorn.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="487" />
            <source>No staff PIN is set. Set one with: touchpoint --set-staff-pin</source>
            <translation>Es ist keine Personal-PIN gesetzt. Setzen Sie eine mit: touchpoint --set-staff-pin</translation>
        </message>
        <message numerus="yes">
            <location filename="../kiosk/view.py" line="503" />
            <source>Too many wrong PINs. Wait %n second(s).</source>
            <translation>
                <numerusform>Zu viele falsche PINs. Warten Sie %n Sekunde.</numerusform>
                <numerusform>Zu viele falsche PINs. Warten Sie %n Sekunden.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="504" />
            <source>Wrong PIN.</source>
            <translation>Falsche PIN.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="515" />
            <source>Card services</source>
            <translation>Kartendienste</translation>
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
            <translation>Anmeldung für Personal</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="522" />
            <source>Still there?</source>
            <translation>Sind Sie noch da?</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="523" />
            <source>I'm still here</source>
            <translation>Ich bin noch da</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="525" />
            <source>Personalise cards</source>
            <translation>Karten personalisieren</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="526" />
            <source>Exit kiosk mode</source>
            <translation>Kioskmodus beenden</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="527" />
            <source>Back to the kiosk</source>
            <translation>Zurück zum Kiosk</translation>
        </message>
        <message>
            <source>Asks for the staff PIN</source>
            <translation>Fragt nach der Personal-PIN</translation>
        </message>
        <message>
            <source>Keeps your session open</source>
            <translation>Hält Ihre Sitzung offen</translation>
        </message>
        <message>
            <source>Delivers one service to a stack of cards, one after the other</source>
            <translation>Liefert einen Dienst an einen Stapel Karten, eine nach der anderen</translation>
        </message>
        <message>
            <source>Closes the kiosk program</source>
            <translation>Beendet das Kioskprogramm</translation>
        </message>
        <message>
            <source>Closes this menu</source>
            <translation>Schließt dieses Menü</translation>
        </message>
    </context>
    <context>
        <name>KioskWindow</name>
        <message>
            <location filename="../windows.py" line="91" />
            <source>Card services</source>
            <translation>Kartendienste</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <location filename="../labels.py" line="19" />
            <source>Installed</source>
            <translation>Installiert</translation>
        </message>
        <message>
            <location filename="../labels.py" line="21" />
            <source>Suspended</source>
            <translation>Gesperrt</translation>
        </message>
        <message>
            <location filename="../labels.py" line="23" />
            <source>Needs repair</source>
            <translation>Reparatur nötig</translation>
        </message>
        <message>
            <location filename="../labels.py" line="24" />
            <source>Not installed</source>
            <translation>Nicht installiert</translation>
        </message>
        <message>
            <location filename="../labels.py" line="29" />
            <source>Install</source>
            <translation>Installieren</translation>
        </message>
        <message>
            <location filename="../labels.py" line="31" />
            <source>Uninstall</source>
            <translation>Deinstallieren</translation>
        </message>
        <message>
            <location filename="../labels.py" line="33" />
            <source>Suspend</source>
            <translation>Sperren</translation>
        </message>
        <message>
            <location filename="../labels.py" line="35" />
            <source>Unsuspend</source>
            <translation>Entsperren</translation>
        </message>
        <message>
            <location filename="../labels.py" line="41" />
            <source>Getting the service ready</source>
            <translation>Der Dienst wird vorbereitet</translation>
        </message>
        <message>
            <location filename="../labels.py" line="42" />
            <source>Starting</source>
            <translation>Wird gestartet</translation>
        </message>
        <message>
            <location filename="../labels.py" line="43" />
            <source>Waiting for the service provider</source>
            <translation>Warten auf den Dienstanbieter</translation>
        </message>
        <message>
            <location filename="../labels.py" line="44" />
            <source>Writing to your card</source>
            <translation>Ihre Karte wird beschrieben</translation>
        </message>
        <message>
            <location filename="../labels.py" line="45" />
            <source>Waiting for your answer</source>
            <translation>Warten auf Ihre Antwort</translation>
        </message>
        <message>
            <location filename="../labels.py" line="46" />
            <source>Finished</source>
            <translation>Abgeschlossen</translation>
        </message>
        <message>
            <location filename="../labels.py" line="47" />
            <location filename="../labels.py" line="74" />
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../labels.py" line="48" />
            <location filename="../labels.py" line="60" />
            <location filename="../labels.py" line="76" />
            <source>Cancelled</source>
            <translation>Abgebrochen</translation>
        </message>
        <message>
            <location filename="../labels.py" line="56" />
            <source>Done</source>
            <translation>Erledigt</translation>
        </message>
        <message>
            <location filename="../labels.py" line="57" />
            <source>The service could not be completed</source>
            <translation>Der Dienst konnte nicht abgeschlossen werden</translation>
        </message>
        <message>
            <location filename="../labels.py" line="58" />
            <source>The card was removed before the service finished</source>
            <translation>Die Karte wurde entfernt, bevor der Dienst abgeschlossen war</translation>
        </message>
        <message>
            <location filename="../labels.py" line="61" />
            <source>The card reader failed</source>
            <translation>Das Kartenlesegerät ist ausgefallen</translation>
        </message>
        <message>
            <location filename="../labels.py" line="62" />
            <source>The service is not available right now</source>
            <translation>Der Dienst ist zurzeit nicht verfügbar</translation>
        </message>
        <message>
            <location filename="../labels.py" line="64" />
            <source>This is not possible in the application's current state</source>
            <translation>Das ist im aktuellen Zustand der Anwendung nicht möglich</translation>
        </message>
        <message>
            <location filename="../labels.py" line="73" />
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <location filename="../labels.py" line="75" />
            <source>Card removed</source>
            <translation>Karte entfernt</translation>
        </message>
        <message>
            <location filename="../labels.py" line="77" />
            <source>Reader error</source>
            <translation>Lesegerätfehler</translation>
        </message>
        <message>
            <location filename="../labels.py" line="78" />
            <source>Backend error</source>
            <translation>Serverfehler</translation>
        </message>
        <message>
            <location filename="../labels.py" line="79" />
            <source>Not allowed</source>
            <translation>Nicht erlaubt</translation>
        </message>
        <message>
            <source>Adds this application to your card</source>
            <translation>Fügt diese Anwendung Ihrer Karte hinzu</translation>
        </message>
        <message>
            <source>Removes this application and what it stored from your card</source>
            <translation>Entfernt diese Anwendung und was sie gespeichert hat von Ihrer Karte</translation>
        </message>
        <message>
            <source>Pauses this application until it is unsuspended</source>
            <translation>Sperrt diese Anwendung, bis sie entsperrt wird</translation>
        </message>
        <message>
            <source>Makes this application usable again</source>
            <translation>Macht diese Anwendung wieder nutzbar</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>A different card was placed</source>
            <translation>Eine andere Karte wurde aufgelegt</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>Different card</source>
            <translation>Andere Karte</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>Uninstalls this application with what it left on the card, then installs it again</source>
            <translation>Deinstalliert diese Anwendung mit allem, was sie auf der Karte hinterlassen hat, und installiert sie dann erneut</translation>
        </message>
    </context>
    <context>
        <name>LanguageBar</name>
        <message>
            <location filename="../widgets/langbar.py" line="40" />
            <source>Language</source>
            <translation>Sprache</translation>
        </message>
        <message>
            <location filename="../widgets/langbar.py" line="42" />
            <source>Language: %1</source>
            <translation>Sprache: %1</translation>
        </message>
        <message>
            <source>Shows the screens in this language</source>
            <translation>Zeigt die Bildschirme in dieser Sprache</translation>
        </message>
    </context>
    <context>
        <name>PinPad</name>
        <message>
            <location filename="../widgets/pinpad.py" line="65" />
            <source>Staff PIN</source>
            <translation>Personal-PIN</translation>
        </message>
        <message>
            <location filename="../widgets/pinpad.py" line="66" />
            <location filename="../widgets/pinpad.py" line="67" />
            <source>Clear</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <location filename="../widgets/pinpad.py" line="68" />
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <location filename="../widgets/pinpad.py" line="70" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/pinpad.py" line="71" />
            <location filename="../widgets/pinpad.py" line="92" />
            <source>PIN entered: %n digit(s)</source>
            <translation>
                <numerusform>Eingegebene PIN: %n Ziffer</numerusform>
                <numerusform>Eingegebene PIN: %n Ziffern</numerusform>
            </translation>
        </message>
        <message>
            <source>Removes the digits entered</source>
            <translation>Löscht die eingegebenen Ziffern</translation>
        </message>
        <message>
            <source>Checks the PIN</source>
            <translation>Prüft die PIN</translation>
        </message>
        <message>
            <source>Closes the PIN pad</source>
            <translation>Schließt das PIN-Feld</translation>
        </message>
        <message>
            <source>Adds this digit to the PIN</source>
            <translation>Fügt diese Ziffer der PIN hinzu</translation>
        </message>
    </context>
    <context>
        <name>ReaderPanel</name>
        <message>
            <location filename="../widgets/readerpanel.py" line="59" />
            <location filename="../widgets/readerpanel.py" line="60" />
            <source>Readers</source>
            <translation>Lesegeräte</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="61" />
            <source>Put virtual card</source>
            <translation>Virtuelle Karte auflegen</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="62" />
            <source>Take virtual card away</source>
            <translation>Virtuelle Karte entfernen</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="63" />
            <source>New virtual card</source>
            <translation>Neue virtuelle Karte</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="75" />
            <source>card present</source>
            <translation>Karte vorhanden</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="75" />
            <source>no card</source>
            <translation>keine Karte</translation>
        </message>
        <message>
            <source>Virtual card (cardsim)</source>
            <translation>Virtuelle Karte (cardsim)</translation>
        </message>
    </context>
    <context>
        <name>ServiceScreen</name>
        <message>
            <location filename="../kiosk/service.py" line="228" />
            <source>free</source>
            <translation>kostenlos</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="229" />
            <source>Price: %1</source>
            <translation>Preis: %1</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="232" />
            <location filename="../kiosk/service.py" line="300" />
            <source>Confirm</source>
            <translation>Bestätigen</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="233" />
            <location filename="../kiosk/service.py" line="301" />
            <source>Continue</source>
            <translation>Weiter</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="251" />
            <source>Working</source>
            <translation>In Arbeit</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="253" />
            <source>Starting</source>
            <translation>Wird gestartet</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="254" />
            <source>Do not remove your card</source>
            <translation>Entfernen Sie Ihre Karte nicht</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="256" />
            <source>%1 of %2 steps</source>
            <translation>%1 von %2 Schritten</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="283" />
            <source>Hold your card to the reader again to see the application's state. An unfinished application can be uninstalled.</source>
            <translation>Halten Sie die Karte erneut an das Lesegerät, um den Zustand der Anwendung zu sehen. Eine unvollständige Anwendung kann deinstalliert werden.</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="286" />
            <source>Please try again later or ask the staff for help.</source>
            <translation>Bitte versuchen Sie es später erneut oder fragen Sie das Personal.</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="289" />
            <source>Back to your applications</source>
            <translation>Zurück zu Ihren Anwendungen</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="299" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="302" />
            <source>Price</source>
            <translation>Preis</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="303" />
            <source>Progress</source>
            <translation>Fortschritt</translation>
        </message>
        <message>
            <source>Goes back without changing your card</source>
            <translation>Geht zurück, ohne Ihre Karte zu ändern</translation>
        </message>
        <message>
            <source>Starts the service on your card</source>
            <translation>Startet den Dienst auf Ihrer Karte</translation>
        </message>
        <message>
            <source>Shows your applications with their state now</source>
            <translation>Zeigt Ihre Anwendungen mit ihrem jetzigen Zustand</translation>
        </message>
    </context>
    <context>
        <name>StaffGate</name>
        <message>
            <location filename="../windows.py" line="155" />
            <source>The two PINs differ.</source>
            <translation>Die beiden PINs stimmen nicht überein.</translation>
        </message>
        <message>
            <location filename="../windows.py" line="176" />
            <source>Wrong PIN.</source>
            <translation>Falsche PIN.</translation>
        </message>
        <message>
            <location filename="../windows.py" line="180" />
            <source>No secure keyring is available: the staff PIN hash is kept in %1 (readable only by this user).</source>
            <translation>Kein sicherer Schlüsselbund verfügbar: Der Hash der Personal-PIN liegt in %1 (nur für diesen Benutzer lesbar).</translation>
        </message>
        <message>
            <location filename="../windows.py" line="185" />
            <source>Staff mode is protected by the staff PIN</source>
            <translation>Der Personalmodus ist durch die Personal-PIN geschützt</translation>
        </message>
        <message>
            <location filename="../windows.py" line="186" />
            <source>New staff PIN (4 to 12 digits)</source>
            <translation>Neue Personal-PIN (4 bis 12 Ziffern)</translation>
        </message>
        <message>
            <location filename="../windows.py" line="187" />
            <source>The same PIN again</source>
            <translation>Dieselbe PIN noch einmal</translation>
        </message>
        <message>
            <location filename="../windows.py" line="188" />
            <source>Set the PIN</source>
            <translation>PIN festlegen</translation>
        </message>
        <message>
            <location filename="../staff/gate.py" />
            <source>The PIN must have %1 to %2 digits, and digits only.</source>
            <translation>Die PIN muss %1 bis %2 Ziffern haben, und nur Ziffern.</translation>
        </message>
        <message>
            <location filename="../staff/gate.py" />
            <source>The PIN could not be saved. Check that the data folder can be written, or ask an administrator.</source>
            <translation>Die PIN konnte nicht gespeichert werden. Prüfen Sie, ob der Datenordner beschreibbar ist, oder fragen Sie einen Administrator.</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/panel.py" line="175" />
            <source>The backend is not available: %1</source>
            <translation>Der Server ist nicht verfügbar: %1</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="253" />
            <source>Values per card (CSV)</source>
            <translation>Werte pro Karte (CSV)</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="254" />
            <location filename="../staff/panel.py" line="393" />
            <source>CSV files (*.csv)</source>
            <translation>CSV-Dateien (*.csv)</translation>
        </message>
        <message numerus="yes">
            <location filename="../staff/panel.py" line="271" />
            <source>%n card row(s) from %1</source>
            <translation>
                <numerusform>%n Kartenzeile aus %1</numerusform>
                <numerusform>%n Kartenzeilen aus %1</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="298" />
            <source>Stopped</source>
            <translation>Angehalten</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="326" />
            <source>Tap the next card</source>
            <translation>Nächste Karte auflegen</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="331" />
            <source>Take the card away</source>
            <translation>Karte wegnehmen</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="344" />
            <source>Working on the card… do not remove it</source>
            <translation>Karte wird bearbeitet… nicht entfernen</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="354" />
            <source>already done: not delivered again</source>
            <translation>bereits erledigt: nicht erneut geliefert</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="374" />
            <source>Skipped</source>
            <translation>Übersprungen</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="384" />
            <source>Cards: %1 · OK: %2 · Failed: %3 · Skipped: %4 · %5 cards/min</source>
            <translation>Karten: %1 · OK: %2 · Fehlgeschlagen: %3 · Übersprungen: %4 · %5 Karten/min</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="391" />
            <source>Export the log</source>
            <translation>Protokoll exportieren</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="405" />
            <source>Log saved to %1</source>
            <translation>Protokoll gespeichert in %1</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="410" />
            <source>What to deliver</source>
            <translation>Was geliefert wird</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="411" />
            <source>Application</source>
            <translation>Anwendung</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="412" />
            <source>Service</source>
            <translation>Dienst</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="413" />
            <source>Values per card from CSV…</source>
            <translation>Werte pro Karte aus CSV…</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="414" />
            <source>Same values for every card</source>
            <translation>Dieselben Werte für alle Karten</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="415" />
            <source>Deliver again to cards already done</source>
            <translation>Erneut an bereits erledigte Karten liefern</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="416" />
            <source>Start</source>
            <translation>Starten</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="417" />
            <source>Stop</source>
            <translation>Anhalten</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="418" />
            <source>Back to the kiosk</source>
            <translation>Zurück zum Kiosk</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="419" />
            <source>Export log as CSV…</source>
            <translation>Protokoll als CSV exportieren…</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="420" />
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="420" />
            <source>Card (CIN)</source>
            <translation>Karte (CIN)</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="421" />
            <source>Result</source>
            <translation>Ergebnis</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="421" />
            <source>Seconds</source>
            <translation>Sekunden</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="422" />
            <source>Message</source>
            <translation>Meldung</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="424" />
            <source>Choose the service, then press Start</source>
            <translation>Wählen Sie den Dienst und drücken Sie dann Starten</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="427" />
            <source>No secure keyring is available: the staff PIN hash is kept in %1 (readable only by this user).</source>
            <translation>Kein sicherer Schlüsselbund verfügbar: Der Hash der Personal-PIN liegt in %1 (nur für diesen Benutzer lesbar).</translation>
        </message>
        <message>
            <source>Cards done</source>
            <translation>Bearbeitete Karten</translation>
        </message>
    </context>
    <context>
        <name>Tester</name>
        <message>
            <location filename="../tester/models.py" line="36" />
            <source>to card</source>
            <translation>an Karte</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="38" />
            <source>from card</source>
            <translation>von Karte</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="39" />
            <source>note</source>
            <translation>Hinweis</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="50" />
            <location filename="../tester/models.py" line="152" />
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="51" />
            <source>Direction</source>
            <translation>Richtung</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="52" />
            <source>Command</source>
            <translation>Befehl</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="53" />
            <source>Data</source>
            <translation>Daten</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="54" />
            <source>Status word</source>
            <translation>Statuswort</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="55" />
            <location filename="../tester/models.py" line="156" />
            <source>Duration (ms)</source>
            <translation>Dauer (ms)</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="153" />
            <source>Method</source>
            <translation>Methode</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="154" />
            <source>Path</source>
            <translation>Pfad</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="155" />
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Card</source>
            <translation>Karte</translation>
        </message>
        <message>
            <source>Left APDU</source>
            <translation>APDU links</translation>
        </message>
        <message>
            <source>Left SW</source>
            <translation>SW links</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>Ergebnis</translation>
        </message>
        <message>
            <source>Right APDU</source>
            <translation>APDU rechts</translation>
        </message>
        <message>
            <source>Right SW</source>
            <translation>SW rechts</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>Lauf</translation>
        </message>
        <message>
            <source>Seconds</source>
            <translation>Sekunden</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>Dienst</translation>
        </message>
        <message>
            <source>Started</source>
            <translation>Gestartet</translation>
        </message>
        <message>
            <source>running…</source>
            <translation>läuft…</translation>
        </message>
    </context>
    <context>
        <name>TesterPanel</name>
        <message>
            <location filename="../tester/panel.py" line="241" />
            <source>Connected to the bundled backend at %1</source>
            <translation>Verbunden mit dem mitgelieferten Server unter %1</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="242" />
            <source>Connected to %1</source>
            <translation>Verbunden mit %1</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="254" />
            <source>The backend URL must start with http:// or https://</source>
            <translation>Die Server-URL muss mit http:// oder https:// beginnen</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="257" />
            <source>Connecting…</source>
            <translation>Verbindung wird hergestellt…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="267" />
            <source>Starting the bundled backend…</source>
            <translation>Der mitgelieferte Server wird gestartet…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="332" />
            <source>Choose an application and a service.</source>
            <translation>Wählen Sie eine Anwendung und einen Dienst.</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="336" />
            <source>No card in %1.</source>
            <translation>Keine Karte in %1.</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="350" />
            <source>Reading the card…</source>
            <translation>Karte wird gelesen…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="401" />
            <source>%1: %2 — %3 APDUs, %4 HTTP round trips, %5 s</source>
            <translation>%1: %2 — %3 APDUs, %4 HTTP-Anfragen, %5 s</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="436" />
            <source>Save the trace</source>
            <translation>Ablauf speichern</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="438" />
            <source>JSON (*.json)</source>
            <translation>JSON (*.json)</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="439" />
            <source>Text (*.txt)</source>
            <translation>Text (*.txt)</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="454" />
            <source>Trace saved to %1</source>
            <translation>Ablauf gespeichert in %1</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="480" />
            <source>Backend</source>
            <translation>Server</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="481" />
            <source>URL</source>
            <translation>URL</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="482" />
            <source>empty: the bundled backend</source>
            <translation>leer: der mitgelieferte Server</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="483" />
            <source>Device token</source>
            <translation>Geräte-Token</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="484" />
            <source>Connect</source>
            <translation>Verbinden</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="485" />
            <source>Use the bundled backend</source>
            <translation>Mitgelieferten Server verwenden</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="486" />
            <location filename="../tester/panel.py" line="488" />
            <source>Service</source>
            <translation>Dienst</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="487" />
            <source>Application</source>
            <translation>Anwendung</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="489" />
            <source>Refresh the list</source>
            <translation>Liste aktualisieren</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="490" />
            <source>The service needs</source>
            <translation>Der Dienst benötigt</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="491" />
            <source>Send</source>
            <translation>Senden</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="492" />
            <source>Run</source>
            <translation>Ausführen</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="493" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="494" />
            <source>Filter (command, data, status word…)</source>
            <translation>Filter (Befehl, Daten, Statuswort…)</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="495" />
            <source>Filter the trace</source>
            <translation>Ablauf filtern</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="499" />
            <source>All</source>
            <translation>Alle</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="500" />
            <source>Commands</source>
            <translation>Befehle</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="501" />
            <source>Answers</source>
            <translation>Antworten</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="502" />
            <source>Notes</source>
            <translation>Hinweise</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="505" />
            <source>Direction</source>
            <translation>Richtung</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="506" />
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="507" />
            <source>Save as text…</source>
            <translation>Als Text speichern…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="508" />
            <source>Save as JSON…</source>
            <translation>Als JSON speichern…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="509" />
            <source>Clear</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="510" />
            <location filename="../tester/panel.py" line="512" />
            <source>APDU trace</source>
            <translation>APDU-Ablauf</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="511" />
            <location filename="../tester/panel.py" line="513" />
            <source>HTTP exchanges</source>
            <translation>HTTP-Austausch</translation>
        </message>
        <message>
            <source>%1 HTTP exchanges saved to %2 (HAR)</source>
            <translation>%1 HTTP-Austausche in %2 gespeichert (HAR)</translation>
        </message>
        <message>
            <source>%1 of %2 trace rows (as the filter shows them) saved to %3</source>
            <translation>%1 von %2 Protokollzeilen (wie der Filter sie zeigt) in %3 gespeichert</translation>
        </message>
        <message>
            <source>Compare the two selected</source>
            <translation>Die zwei gewählten vergleichen</translation>
        </message>
        <message>
            <source>Compared runs</source>
            <translation>Verglichene Läufe</translation>
        </message>
        <message>
            <source>HAR (*.har)</source>
            <translation>HAR (*.har)</translation>
        </message>
        <message>
            <source>Run %1 (left) against run %2 (right): %3 of %4 APDUs differ (highlighted)</source>
            <translation>Lauf %1 (links) gegen Lauf %2 (rechts): %3 von %4 APDUs unterscheiden sich (hervorgehoben)</translation>
        </message>
        <message>
            <source>Runs</source>
            <translation>Läufe</translation>
        </message>
        <message>
            <source>Save as HAR…</source>
            <translation>Als HAR speichern…</translation>
        </message>
        <message>
            <source>Save shown as JSON…</source>
            <translation>Als JSON speichern…</translation>
        </message>
        <message>
            <source>Save shown as text…</source>
            <translation>Als Text speichern…</translation>
        </message>
        <message>
            <source>Save the HTTP exchanges</source>
            <translation>HTTP-Austausche speichern</translation>
        </message>
        <message>
            <source>Save the trace as the filter shows it</source>
            <translation>Protokoll so speichern, wie der Filter es zeigt</translation>
        </message>
        <message>
            <source>Saves all %1 rows</source>
            <translation>Speichert alle %1 Zeilen</translation>
        </message>
        <message>
            <source>Saves the %1 rows the filter shows (of %2)</source>
            <translation>Speichert die %1 Zeilen, die der Filter zeigt (von %2)</translation>
        </message>
        <message>
            <source>Select two finished runs (Ctrl+click) to see their APDUs side by side</source>
            <translation>Zwei beendete Läufe wählen (Strg+Klick), um ihre APDUs nebeneinander zu sehen</translation>
        </message>
        <message>
            <source>Show its trace</source>
            <translation>Sein Protokoll zeigen</translation>
        </message>
        <message>
            <source>The HTTP exchanges of the run shown, as a HAR 1.2 file for browser tools (tokens and Authorization headers masked)</source>
            <translation>Die HTTP-Austausche des gezeigten Laufs als HAR-1.2-Datei für Browser-Werkzeuge (Tokens und Authorization-Header maskiert)</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>abgebrochen</translation>
        </message>
    </context>
    <context>
        <name>TimingChooser</name>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>Instant (virtual card)</source>
            <translation>Sofort (virtuelle Karte)</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>JCOP4, contact</source>
            <translation>JCOP4, kontaktbehaftet</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>JCOP4, contactless</source>
            <translation>JCOP4, kontaktlos</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>DESFire EV1, contactless</source>
            <translation>DESFire EV1, kontaktlos</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>Card timing</source>
            <translation>Kartenzeiten</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>How long the virtual card takes per command: as a real card of this kind</source>
            <translation>Wie lange die virtuelle Karte je Befehl braucht: wie eine echte Karte dieser Art</translation>
        </message>
    </context>
    <context>
        <name>ContentsView</name>
        <message numerus="yes">
            <location filename="../tester/contents.py" line="165" />
            <source>%n disagreement(s) between the card and the backend.</source>
            <translation>
                <numerusform>%n Abweichung zwischen Karte und Server.</numerusform>
                <numerusform>%n Abweichungen zwischen Karte und Server.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="114" />
            <source>A delivery is running; the contents are read after it.</source>
            <translation>Eine Zustellung läuft; der Inhalt wird danach gelesen.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="117" />
            <source>No card to read.</source>
            <translation>Keine Karte zum Lesen.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="120" />
            <source>Reading the card contents…</source>
            <translation>Karteninhalt wird gelesen…</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="130" />
            <source>The contents could not be read: %1</source>
            <translation>Der Inhalt konnte nicht gelesen werden: %1</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="149" />
            <source>on the card</source>
            <translation>auf der Karte</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="150" />
            <source>not on the card</source>
            <translation>nicht auf der Karte</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="164" />
            <source>The card and the backend agree.</source>
            <translation>Karte und Server stimmen überein.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="208" />
            <source>Fixing…</source>
            <translation>Wird behoben…</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="219" />
            <source>The fix failed: %1</source>
            <translation>Die Behebung ist fehlgeschlagen: %1</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="226" />
            <source>Card contents</source>
            <translation>Karteninhalt</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="229" />
            <source>Read the card</source>
            <translation>Karte lesen</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>AID</source>
            <translation>AID</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>Kind</source>
            <translation>Art</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>Life cycle</source>
            <translation>Lebenszyklus</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="231" />
            <source>Privileges</source>
            <translation>Berechtigungen</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="231" />
            <source>Associated domain</source>
            <translation>Zugehörige Domäne</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="36" />
            <source>Application</source>
            <translation>Anwendung</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="233" />
            <source>The backend's records</source>
            <translation>Aufzeichnungen des Servers</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="233" />
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="234" />
            <source>On the card</source>
            <translation>Auf der Karte</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="235" />
            <source>Mark Unstable</source>
            <translation>Als instabil markieren</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="236" />
            <source>Purge from the card</source>
            <translation>Von der Karte entfernen</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="237" />
            <source>Adopt into</source>
            <translation>Übernehmen in</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="171" />
            <source>%1 %2 of application %3 is not on the card</source>
            <translation>%1 %2 der Anwendung %3 ist nicht auf der Karte</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="173" />
            <source>%1 %2 is on the card but no application accounts for it</source>
            <translation>%1 %2 ist auf der Karte, aber keine Anwendung führt es</translation>
        </message>
    </context>
    <context>
        <name>CardInput</name>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Card number</source>
            <translation>Kartennummer</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Expiry (MM/YY)</source>
            <translation>Gültig bis (MM/JJ)</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>CVV (if the card has one)</source>
            <translation>CVV (falls die Karte einen hat)</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The card number is not valid.</source>
            <translation>Die Kartennummer ist ungültig.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The expiry month must be 01 to 12.</source>
            <translation>Der Ablaufmonat muss 01 bis 12 sein.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The card has expired.</source>
            <translation>Die Karte ist abgelaufen.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Give the card number (13 to 19 digits), its expiry as MM/YY and, if it has one, its CVV.</source>
            <translation>Geben Sie die Kartennummer (13 bis 19 Ziffern), das Ablaufdatum als MM/JJ und, falls vorhanden, den CVV ein.</translation>
        </message>
    </context>
    <context>
        <name>ActionsView</name>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Please call %1</source>
            <translation>Bitte rufen Sie %1 an</translation>
        </message>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Done</source>
            <translation>Fertig</translation>
        </message>
    </context>
    <context>
        <name>TouchKeyboard</name>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Types %1</source>
            <translation>Tippt %1</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Types a space</source>
            <translation>Tippt ein Leerzeichen</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Hides the keyboard; the text stays</source>
            <translation>Blendet die Tastatur aus; der Text bleibt</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Space</source>
            <translation>Leertaste</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Capital letter</source>
            <translation>Großbuchstabe</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Delete the last character</source>
            <translation>Letztes Zeichen löschen</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Done</source>
            <translation>Fertig</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Close the keyboard</source>
            <translation>Tastatur schließen</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>On-screen keyboard</source>
            <translation>Bildschirmtastatur</translation>
        </message>
    </context>
    <context>
        <name>FieldsForm</name>
        <message>
            <location filename="../widgets/fields.py" />
            <source>Please fill this in.</source>
            <translation>Bitte füllen Sie dieses Feld aus.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is too short.</source>
            <translation>Das ist zu kurz.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is too long.</source>
            <translation>Das ist zu lang.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is not in the form asked for.</source>
            <translation>Das hat nicht das verlangte Format.</translation>
        </message>
    </context>
    <context>
        <name>UserText</name>
        <message>
            <location filename="../usertext.py" />
            <source>The service could not be completed. Try again, or ask staff for help.</source>
            <translation>Der Dienst konnte nicht abgeschlossen werden. Versuchen Sie es erneut oder bitten Sie das Personal um Hilfe.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The card was removed before the service finished. Place it on the reader and try again.</source>
            <translation>Die Karte wurde entfernt, bevor der Dienst fertig war. Legen Sie sie auf das Lesegerät und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Cancelled. Nothing more was written to the card.</source>
            <translation>Abgebrochen. Es wurde nichts mehr auf die Karte geschrieben.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The card reader failed. Check the reader and try again.</source>
            <translation>Das Kartenlesegerät ist ausgefallen. Prüfen Sie das Lesegerät und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service is not available right now. Try again in a few minutes.</source>
            <translation>Der Dienst ist gerade nicht verfügbar. Versuchen Sie es in einigen Minuten erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This is not possible in the application's current state on this card. Choose another action.</source>
            <translation>Das ist im aktuellen Zustand der Anwendung auf dieser Karte nicht möglich. Wählen Sie eine andere Aktion.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>No card is on the reader. Place your card on the reader.</source>
            <translation>Es liegt keine Karte auf dem Lesegerät. Legen Sie Ihre Karte auf das Lesegerät.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service cannot be reached. Check the network and try again.</source>
            <translation>Der Dienst ist nicht erreichbar. Prüfen Sie das Netzwerk und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This device is not allowed to use the service. Ask staff to check its settings.</source>
            <translation>Dieses Gerät darf den Dienst nicht nutzen. Bitten Sie das Personal, seine Einstellungen zu prüfen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service does not know this application or service any more. Refresh the list and try again.</source>
            <translation>Der Dienst kennt diese Anwendung oder diesen Dienst nicht mehr. Aktualisieren Sie die Liste und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service ended this delivery. Start again.</source>
            <translation>Der Dienst hat diese Lieferung beendet. Beginnen Sie von vorn.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This application cannot be repaired here: its services offer no uninstall or no install. Ask the Service Provider.</source>
            <translation>Diese Anwendung kann hier nicht repariert werden: Ihre Dienste bieten keine Deinstallation oder keine Installation. Wenden Sie sich an den Dienstanbieter.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Something went wrong. Try again, or ask staff for help.</source>
            <translation>Etwas ist schiefgelaufen. Versuchen Sie es erneut oder bitten Sie das Personal um Hilfe.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This is a different card: nothing was written to it. The service was stopped; place the card you started with and try again.</source>
            <translation>Das ist eine andere Karte: Auf sie wurde nichts geschrieben. Der Dienst wurde angehalten; legen Sie die Karte auf, mit der Sie begonnen haben, und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The CSV file has no rows of values. Choose another file.</source>
            <translation>Die CSV-Datei enthält keine Zeilen mit Werten. Wählen Sie eine andere Datei.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The CSV file has no column for: %1. Add the columns and load the file again.</source>
            <translation>Die CSV-Datei hat keine Spalte für: %1. Ergänzen Sie die Spalten und laden Sie die Datei erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Line %1 of the CSV file has more values than columns. Correct it and load the file again.</source>
            <translation>Zeile %1 der CSV-Datei hat mehr Werte als Spalten. Korrigieren Sie sie und laden Sie die Datei erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Card %1 appears twice in the CSV file (line %2). Correct it and load the file again.</source>
            <translation>Die Karte %1 kommt zweimal in der CSV-Datei vor (Zeile %2). Korrigieren Sie das und laden Sie die Datei erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>No row of the CSV file is left for this card. Load a file with more rows, or press Stop.</source>
            <translation>Für diese Karte ist keine Zeile der CSV-Datei mehr übrig. Laden Sie eine Datei mit mehr Zeilen, oder drücken Sie Anhalten.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 could not be read. Choose another file.</source>
            <translation>Die Datei %1 konnte nicht gelesen werden. Wählen Sie eine andere Datei.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 is not a UTF-8 text file. Save it as CSV (UTF-8) and load it again.</source>
            <translation>Die Datei %1 ist keine UTF-8-Textdatei. Speichern Sie sie als CSV (UTF-8) und laden Sie sie erneut.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The log could not be saved to %1. Choose another folder.</source>
            <translation>Das Protokoll konnte nicht unter %1 gespeichert werden. Wählen Sie einen anderen Ordner.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The trace could not be saved to %1. Choose another folder or name.</source>
            <translation>Der Ablauf konnte nicht unter %1 gespeichert werden. Wählen Sie einen anderen Ordner oder Namen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The HTTP exchanges could not be saved to %1. Choose another folder or name.</source>
            <translation>Die HTTP-Austausche konnten nicht unter %1 gespeichert werden. Wählen Sie einen anderen Ordner oder Namen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The GlobalPlatformPro log could not be saved to %1. Choose another folder or name.</source>
            <translation>Das GlobalPlatformPro-Log konnte nicht unter %1 gespeichert werden. Wählen Sie einen anderen Ordner oder Namen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 is not a GlobalPlatformPro log (the output of gp -d). Choose another file.</source>
            <translation>Die Datei %1 ist kein GlobalPlatformPro-Log (die Ausgabe von gp -d). Wählen Sie eine andere Datei.</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <location filename="../labels.py" />
            <source>Repair</source>
            <translation>Reparieren</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/logtable.py" />
            <source>Cards: %1 · OK: %2 · Failed: %3 · Skipped: %4</source>
            <translation>Karten: %1 · OK: %2 · Fehlgeschlagen: %3 · Übersprungen: %4</translation>
        </message>
        <message>
            <location filename="../staff/logtable.py" />
            <source> · %1 cards/min</source>
            <translation> · %1 Karten/min</translation>
        </message>
    </context>
    <context>
        <name>KioskView</name>
        <message numerus="yes">
            <location filename="../kiosk/waiting.py" />
            <source>About %n second(s) left</source>
            <translation>
                <numerusform>Noch etwa %n Sekunde</numerusform>
                <numerusform>Noch etwa %n Sekunden</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/waiting.py" />
            <source>This is taking longer than usual. You can wait or cancel.</source>
            <translation>Das dauert länger als üblich. Sie können warten oder abbrechen.</translation>
        </message>
        <message>
            <location filename="../kiosk/waiting.py" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
    </context>
    <context>
        <name>ServiceScreen</name>
        <message>
            <location filename="../kiosk/service.py" />
            <source>This took too long</source>
            <translation>Das hat zu lange gedauert</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" />
            <source>The service did not answer in time. Nothing more was done. Please try again later or ask the staff for help.</source>
            <translation>Der Dienst hat nicht rechtzeitig geantwortet. Es wurde nichts weiter getan. Bitte versuchen Sie es später noch einmal oder fragen Sie das Personal.</translation>
        </message>
    </context>
    <context>
        <name>TesterWait</name>
        <message>
            <location filename="../tester/waiting.py" />
            <source>Cancelling…</source>
            <translation>Wird abgebrochen…</translation>
        </message>
        <message numerus="yes">
            <location filename="../tester/waiting.py" />
            <source>about %n s left</source>
            <translation>
                <numerusform>noch etwa %n s</numerusform>
                <numerusform>noch etwa %n s</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../tester/waiting.py" />
            <source>taking longer than usual (Cancel stops it)</source>
            <translation>dauert länger als üblich (Abbrechen beendet es)</translation>
        </message>
        <message>
            <location filename="../tester/waiting.py" />
            <source>No answer within %1 s: the run was stopped.</source>
            <translation>Keine Antwort innerhalb von %1 s: der Lauf wurde beendet.</translation>
        </message>
    </context>
    <context>
        <name>StaffWait</name>
        <message>
            <location filename="../staff/waiting.py" />
            <source>This is taking longer than usual. Stop ends it.</source>
            <translation>Das dauert länger als üblich. Stopp beendet es.</translation>
        </message>
        <message>
            <location filename="../staff/waiting.py" />
            <source>No answer within %1 s: stopped.</source>
            <translation>Keine Antwort innerhalb von %1 s: beendet.</translation>
        </message>
    </context>
    <context>
        <name>PinCheck</name>
        <message>
            <location filename="../widgets/pincheck.py" />
            <source>No staff PIN is set. Set one with: touchpoint --set-staff-pin</source>
            <translation>Es ist keine Personal-PIN gesetzt. Setzen Sie eine mit: touchpoint --set-staff-pin</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/pincheck.py" />
            <source>Too many wrong PINs. Wait %n second(s).</source>
            <translation>
                <numerusform>Zu viele falsche PINs. Warten Sie %n Sekunde.</numerusform>
                <numerusform>Zu viele falsche PINs. Warten Sie %n Sekunden.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../widgets/pincheck.py" />
            <source>Wrong PIN.</source>
            <translation>Falsche PIN.</translation>
        </message>
    </context>
    <context>
        <name>DesktopWindow</name>
        <message>
            <location filename="../windows.py" />
            <source>A delivery is running here: wait for its result or cancel it before changing tabs.</source>
            <translation>Hier läuft eine Lieferung: Warten Sie auf das Ergebnis oder brechen Sie sie ab, bevor Sie den Tab wechseln.</translation>
        </message>
    </context>
    <context>
        <name>StaffGate</name>
        <message>
            <location filename="../staff/gate.py" />
            <source>Tester mode is protected by the staff PIN</source>
            <translation>Der Testmodus ist durch die Personal-PIN geschützt</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/panel.py" />
            <source>Repair an app that needs it (uninstall, then install)</source>
            <translation>Eine Anwendung reparieren, die es braucht (deinstallieren, dann installieren)</translation>
        </message>
    </context>
    <context>
        <name>TesterPanel</name>
        <message>
            <location filename="../tester/picker.py" />
            <source>Repair an app that needs it (uninstall, then install)</source>
            <translation>Eine Anwendung reparieren, die es braucht (deinstallieren, dann installieren)</translation>
        </message>
    </context>
    <context>
        <name>ReplaceCard</name>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Place your card again. The service goes on when the same card is back on the reader.</source>
            <translation>Legen Sie Ihre Karte wieder auf. Der Dienst geht weiter, sobald dieselbe Karte wieder auf dem Lesegerät liegt.</translation>
        </message>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Cancel the service</source>
            <translation>Den Dienst abbrechen</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/replace_card.py" />
            <source>%n second(s) left</source>
            <translation>
                <numerusform>Noch %n Sekunde</numerusform>
                <numerusform>Noch %n Sekunden</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DetailScreen</name>
        <message>
            <location filename="../kiosk/detail.py" />
            <source>Something went wrong the last time this application was changed on your card. Tap Repair: it is uninstalled, then installed again.</source>
            <translation>Beim letzten Ändern dieser Anwendung auf Ihrer Karte ist etwas schiefgelaufen. Tippen Sie auf Reparieren: Sie wird deinstalliert und dann neu installiert.</translation>
        </message>
    </context>
    <context>
        <name>FieldsForm</name>
        <message>
            <source>Asked by the service: %1</source>
            <translation>Vom Dienst erfragt: %1</translation>
        </message>
    </context>
</TS>
