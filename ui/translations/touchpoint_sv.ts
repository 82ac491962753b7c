<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="sv">
    <context>
        <name>ApduDetail</name>
        <message>
            <source>%1 — secure channel: %2</source>
            <translation>%1 — säker kanal: %2</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>Kommando</translation>
        </message>
        <message>
            <source>Answer</source>
            <translation>Svar</translation>
        </message>
        <message>
            <source>No answer</source>
            <translation>Inget svar</translation>
        </message>
        <message>
            <source>Header</source>
            <translation>Huvud</translation>
        </message>
        <message>
            <source>Command data</source>
            <translation>Kommandodata</translation>
        </message>
        <message>
            <source>Select a row of the trace to see its APDU explained.</source>
            <translation>Välj en rad i spåret för att se dess APDU förklarad.</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>Fält</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Värde</translation>
        </message>
        <message>
            <source>APDU fields</source>
            <translation>APDU-fält</translation>
        </message>
        <message>
            <source>APDU in hex</source>
            <translation>APDU i hex</translation>
        </message>
    </context>
    <context>
        <name>AppsScreen</name>
        <message>
            <location filename="../kiosk/apps.py" line="61" />
            <source>Applications for your card</source>
            <translation>Applikationer för ditt kort</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="62" />
            <source>Card %1</source>
            <translation>Kort %1</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="63" />
            <source>Finish</source>
            <translation>Klar</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="64" />
            <source>Finish and start over</source>
            <translation>Avsluta och börja om</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="65" />
            <source>Applications</source>
            <translation>Applikationer</translation>
        </message>
        <message>
            <location filename="../kiosk/apps.py" line="66" />
            <source>No applications are available right now.</source>
            <translation>Inga applikationer finns just nu.</translation>
        </message>
        <message>
            <source>Forgets your card so the next person can start</source>
            <translation>Glömmer ditt kort så att nästa person kan börja</translation>
        </message>
        <message>
            <source>Choose an application to see what you can do with it</source>
            <translation>Välj en applikation för att se vad du kan göra med den</translation>
        </message>
    </context>
    <context>
        <name>AttractScreen</name>
        <message>
            <location filename="../kiosk/attract.py" line="130" />
            <source>Hold your card to the reader</source>
            <translation>Håll ditt kort mot läsaren</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" line="131" />
            <source>See the applications on your card, add new ones and manage them.</source>
            <translation>Se applikationerna på ditt kort, lägg till nya och hantera dem.</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" line="133" />
            <location filename="../kiosk/attract.py" line="134" />
            <source>Use the demo card</source>
            <translation>Använd demokortet</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Starts with a virtual card instead of your own</source>
            <translation>Börjar med ett virtuellt kort i stället för ditt eget</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Large text</source>
            <translation>Stor text</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>Makes all text bigger</source>
            <translation>Gör all text större</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>High contrast</source>
            <translation>Hög kontrast</translation>
        </message>
        <message>
            <location filename="../kiosk/attract.py" />
            <source>White and yellow on black</source>
            <translation>Vitt och gult på svart</translation>
        </message>
    </context>
    <context>
        <name>DesktopWindow</name>
        <message>
            <location filename="../windows.py" line="258" />
            <source>Card services touch point</source>
            <translation>Kortservice – kontaktpunkt</translation>
        </message>
        <message>
            <location filename="../windows.py" line="259" />
            <source>Card</source>
            <translation>Kort</translation>
        </message>
        <message>
            <location filename="../windows.py" line="260" />
            <source>Staff</source>
            <translation>Personal</translation>
        </message>
        <message>
            <location filename="../windows.py" line="261" />
            <source>Tester</source>
            <translation>Testare</translation>
        </message>
    </context>
    <context>
        <name>DetailScreen</name>
        <message>
            <location filename="../kiosk/detail.py" line="173" />
            <location filename="../kiosk/detail.py" line="213" />
            <source>Choose how to install</source>
            <translation>Välj hur du vill installera</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="195" />
            <source>Back</source>
            <translation>Tillbaka</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="196" />
            <source>Back to the applications</source>
            <translation>Tillbaka till applikationerna</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="207" />
            <source>State: %1</source>
            <translation>Status: %1</translation>
        </message>
        <message>
            <location filename="../kiosk/detail.py" line="209" />
            <source>Something went wrong the last time this application was changed on your card. Uninstall it, then install it again.</source>
            <translation>Något gick fel när applikationen senast ändrades på ditt kort. Avinstallera den och installera den sedan igen.</translation>
        </message>
        <message>
            <source>Shows all the applications of your card again</source>
            <translation>Visar alla applikationer på ditt kort igen</translation>
        </message>
    </context>
    <context>
        <name>GppTools</name>
        <message>
            <source>Save the trace as a GlobalPlatformPro log</source>
            <translation>Spara spåret som GlobalPlatformPro-logg</translation>
        </message>
        <message>
            <source>Open a GlobalPlatformPro log</source>
            <translation>Öppna en GlobalPlatformPro-logg</translation>
        </message>
        <message>
            <source>GlobalPlatformPro log (*.txt *.log)</source>
            <translation>GlobalPlatformPro-logg (*.txt *.log)</translation>
        </message>
        <message>
            <source>Saved %1 exchanges to %2 (the whole trace: a log keeps each command with its answer).</source>
            <translation>%1 utbyten sparade i %2 (hela spåret: en logg håller varje kommando med sitt svar).</translation>
        </message>
        <message>
            <source>Opened %1 exchanges from %2. Replay sends them to the card.</source>
            <translation>%1 utbyten öppnade från %2. Spela upp skickar dem till kortet.</translation>
        </message>
        <message>
            <source>Wait for the run to end.</source>
            <translation>Vänta tills körningen är klar.</translation>
        </message>
        <message>
            <source>Nothing to replay: open a GlobalPlatformPro log or run a service first.</source>
            <translation>Inget att spela upp: öppna först en GlobalPlatformPro-logg eller kör en tjänst.</translation>
        </message>
        <message>
            <source>No card in %1.</source>
            <translation>Inget kort i %1.</translation>
        </message>
        <message>
            <source>Replaying %1 commands…</source>
            <translation>Spelar upp %1 kommandon…</translation>
        </message>
        <message>
            <source>Replay: %1</source>
            <translation>Uppspelning: %1</translation>
        </message>
        <message>
            <source>Save as GPPro log…</source>
            <translation>Spara som GPPro-logg…</translation>
        </message>
        <message>
            <source>Open a GPPro log…</source>
            <translation>Öppna en GPPro-logg…</translation>
        </message>
        <message>
            <source>Replay on the card</source>
            <translation>Spela upp på kortet</translation>
        </message>
        <message>
            <source>Sends the opened log&apos;s commands (or this trace&apos;s) to the card and compares the answers</source>
            <translation>Skickar den öppnade loggens kommandon (eller detta spårs) till kortet och jämför svaren</translation>
        </message>
    </context>
    <context>
        <name>KioskView</name>
        <message>
            <location filename="../kiosk/view.py" line="105" />
            <location filename="../kiosk/view.py" line="274" />
            <source>The service is not available right now.</source>
            <translation>Tjänsten är inte tillgänglig just nu.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="230" />
            <source>Your card was removed. Hold it to the reader to start again.</source>
            <translation>Ditt kort togs bort. Håll det mot läsaren för att börja om.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="257" />
            <source>Reading your card…</source>
            <translation>Läser ditt kort…</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="266" />
            <source>This card cannot be used here.</source>
            <translation>Det här kortet kan inte användas här.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="269" />
            <source>The card could not be read. Hold it still on the reader and try again.</source>
            <translation>Kortet kunde inte läsas. Håll det stilla mot läsaren och försök igen.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="375" />
            <location filename="../kiosk/view.py" line="447" />
            <source>One moment…</source>
            <translation>Ett ögonblick…</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="443" />
            <source>Hold your card to the reader to see its applications.</source>
            <translation>Håll ditt kort mot läsaren för att se dess applikationer.</translation>
        </message>
        <message numerus="yes">
            <location filename="../kiosk/view.py" line="475" />
            <source>The screen will start over in %n second(s).</source>
            <translation>
                <numerusform>Skärmen börjar om om %n sekund.</numerusform>
                <numerusform>Skärmen börjar om om %n sekunder.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="487" />
            <source>No staff PIN is set. Set one with: touchpoint --set-staff-pin</source>
            <translation>Ingen personal-PIN är satt. Ange en med: touchpoint --set-staff-pin</translation>
        </message>
        <message numerus="yes">
            <location filename="../kiosk/view.py" line="503" />
            <source>Too many wrong PINs. Wait %n second(s).</source>
            <translation>
                <numerusform>För många felaktiga PIN. Vänta %n sekund.</numerusform>
                <numerusform>För många felaktiga PIN. Vänta %n sekunder.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="504" />
            <source>Wrong PIN.</source>
            <translation>Fel PIN.</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="515" />
            <source>Card services</source>
            <translation>Korttjänster</translation>
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
            <translation>Inloggning för personal</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="522" />
            <source>Still there?</source>
            <translation>Är du kvar?</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="523" />
            <source>I'm still here</source>
            <translation>Jag är kvar</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="525" />
            <source>Personalise cards</source>
            <translation>Personalisera kort</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="526" />
            <source>Exit kiosk mode</source>
            <translation>Avsluta kioskläget</translation>
        </message>
        <message>
            <location filename="../kiosk/view.py" line="527" />
            <source>Back to the kiosk</source>
            <translation>Tillbaka till kiosken</translation>
        </message>
        <message>
            <source>Asks for the staff PIN</source>
            <translation>Frågar efter personalens PIN</translation>
        </message>
        <message>
            <source>Keeps your session open</source>
            <translation>Håller din session öppen</translation>
        </message>
        <message>
            <source>Delivers one service to a stack of cards, one after the other</source>
            <translation>Levererar en tjänst till en bunt kort, ett i taget</translation>
        </message>
        <message>
            <source>Closes the kiosk program</source>
            <translation>Stänger kioskprogrammet</translation>
        </message>
        <message>
            <source>Closes this menu</source>
            <translation>Stänger den här menyn</translation>
        </message>
    </context>
    <context>
        <name>KioskWindow</name>
        <message>
            <location filename="../windows.py" line="91" />
            <source>Card services</source>
            <translation>Korttjänster</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <location filename="../labels.py" line="19" />
            <source>Installed</source>
            <translation>Installerad</translation>
        </message>
        <message>
            <location filename="../labels.py" line="21" />
            <source>Suspended</source>
            <translation>Pausad</translation>
        </message>
        <message>
            <location filename="../labels.py" line="23" />
            <source>Needs repair</source>
            <translation>Behöver lagas</translation>
        </message>
        <message>
            <location filename="../labels.py" line="24" />
            <source>Not installed</source>
            <translation>Inte installerad</translation>
        </message>
        <message>
            <location filename="../labels.py" line="29" />
            <source>Install</source>
            <translation>Installera</translation>
        </message>
        <message>
            <location filename="../labels.py" line="31" />
            <source>Uninstall</source>
            <translation>Avinstallera</translation>
        </message>
        <message>
            <location filename="../labels.py" line="33" />
            <source>Suspend</source>
            <translation>Pausa</translation>
        </message>
        <message>
            <location filename="../labels.py" line="35" />
            <source>Unsuspend</source>
            <translation>Återaktivera</translation>
        </message>
        <message>
            <location filename="../labels.py" line="41" />
            <source>Getting the service ready</source>
            <translation>Förbereder tjänsten</translation>
        </message>
        <message>
            <location filename="../labels.py" line="42" />
            <source>Starting</source>
            <translation>Startar</translation>
        </message>
        <message>
            <location filename="../labels.py" line="43" />
            <source>Waiting for the service provider</source>
            <translation>Väntar på tjänsteleverantören</translation>
        </message>
        <message>
            <location filename="../labels.py" line="44" />
            <source>Writing to your card</source>
            <translation>Skriver till ditt kort</translation>
        </message>
        <message>
            <location filename="../labels.py" line="45" />
            <source>Waiting for your answer</source>
            <translation>Väntar på ditt svar</translation>
        </message>
        <message>
            <location filename="../labels.py" line="46" />
            <source>Finished</source>
            <translation>Klart</translation>
        </message>
        <message>
            <location filename="../labels.py" line="47" />
            <location filename="../labels.py" line="74" />
            <source>Failed</source>
            <translation>Misslyckades</translation>
        </message>
        <message>
            <location filename="../labels.py" line="48" />
            <location filename="../labels.py" line="60" />
            <location filename="../labels.py" line="76" />
            <source>Cancelled</source>
            <translation>Avbrutet</translation>
        </message>
        <message>
            <location filename="../labels.py" line="56" />
            <source>Done</source>
            <translation>Klart</translation>
        </message>
        <message>
            <location filename="../labels.py" line="57" />
            <source>The service could not be completed</source>
            <translation>Tjänsten kunde inte slutföras</translation>
        </message>
        <message>
            <location filename="../labels.py" line="58" />
            <source>The card was removed before the service finished</source>
            <translation>Kortet togs bort innan tjänsten var klar</translation>
        </message>
        <message>
            <location filename="../labels.py" line="61" />
            <source>The card reader failed</source>
            <translation>Kortläsaren fungerade inte</translation>
        </message>
        <message>
            <location filename="../labels.py" line="62" />
            <source>The service is not available right now</source>
            <translation>Tjänsten är inte tillgänglig just nu</translation>
        </message>
        <message>
            <location filename="../labels.py" line="64" />
            <source>This is not possible in the application's current state</source>
            <translation>Det går inte i applikationens nuvarande status</translation>
        </message>
        <message>
            <location filename="../labels.py" line="73" />
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <location filename="../labels.py" line="75" />
            <source>Card removed</source>
            <translation>Kortet borttaget</translation>
        </message>
        <message>
            <location filename="../labels.py" line="77" />
            <source>Reader error</source>
            <translation>Läsarfel</translation>
        </message>
        <message>
            <location filename="../labels.py" line="78" />
            <source>Backend error</source>
            <translation>Serverfel</translation>
        </message>
        <message>
            <location filename="../labels.py" line="79" />
            <source>Not allowed</source>
            <translation>Inte tillåtet</translation>
        </message>
        <message>
            <source>Adds this application to your card</source>
            <translation>Lägger till applikationen på ditt kort</translation>
        </message>
        <message>
            <source>Removes this application and what it stored from your card</source>
            <translation>Tar bort applikationen och det den sparat från ditt kort</translation>
        </message>
        <message>
            <source>Pauses this application until it is unsuspended</source>
            <translation>Pausar applikationen tills den återaktiveras</translation>
        </message>
        <message>
            <source>Makes this application usable again</source>
            <translation>Gör applikationen användbar igen</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>A different card was placed</source>
            <translation>Ett annat kort lades på</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>Different card</source>
            <translation>Annat kort</translation>
        </message>
        <message>
            <location filename="../labels.py" />
            <source>Uninstalls this application with what it left on the card, then installs it again</source>
            <translation>Avinstallerar applikationen med allt den lämnat på kortet och installerar den sedan igen</translation>
        </message>
    </context>
    <context>
        <name>LanguageBar</name>
        <message>
            <location filename="../widgets/langbar.py" line="40" />
            <source>Language</source>
            <translation>Språk</translation>
        </message>
        <message>
            <location filename="../widgets/langbar.py" line="42" />
            <source>Language: %1</source>
            <translation>Språk: %1</translation>
        </message>
        <message>
            <source>Shows the screens in this language</source>
            <translation>Visar skärmarna på det här språket</translation>
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
            <translation>Rensa</translation>
        </message>
        <message>
            <location filename="../widgets/pinpad.py" line="68" />
            <source>OK</source>
            <translation>OK</translation>
        </message>
        <message>
            <location filename="../widgets/pinpad.py" line="70" />
            <source>Cancel</source>
            <translation>Avbryt</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/pinpad.py" line="71" />
            <location filename="../widgets/pinpad.py" line="92" />
            <source>PIN entered: %n digit(s)</source>
            <translation>
                <numerusform>Inmatad PIN: %n siffra</numerusform>
                <numerusform>Inmatad PIN: %n siffror</numerusform>
            </translation>
        </message>
        <message>
            <source>Removes the digits entered</source>
            <translation>Tar bort de inmatade siffrorna</translation>
        </message>
        <message>
            <source>Checks the PIN</source>
            <translation>Kontrollerar PIN-koden</translation>
        </message>
        <message>
            <source>Closes the PIN pad</source>
            <translation>Stänger knappsatsen</translation>
        </message>
        <message>
            <source>Adds this digit to the PIN</source>
            <translation>Lägger till siffran i PIN-koden</translation>
        </message>
    </context>
    <context>
        <name>ReaderPanel</name>
        <message>
            <location filename="../widgets/readerpanel.py" line="59" />
            <location filename="../widgets/readerpanel.py" line="60" />
            <source>Readers</source>
            <translation>Läsare</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="61" />
            <source>Put virtual card</source>
            <translation>Lägg på virtuellt kort</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="62" />
            <source>Take virtual card away</source>
            <translation>Ta bort virtuellt kort</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="63" />
            <source>New virtual card</source>
            <translation>Nytt virtuellt kort</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="75" />
            <source>card present</source>
            <translation>kort finns</translation>
        </message>
        <message>
            <location filename="../widgets/readerpanel.py" line="75" />
            <source>no card</source>
            <translation>inget kort</translation>
        </message>
        <message>
            <source>Virtual card (cardsim)</source>
            <translation>Virtuellt kort (cardsim)</translation>
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
            <translation>Pris: %1</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="232" />
            <location filename="../kiosk/service.py" line="300" />
            <source>Confirm</source>
            <translation>Bekräfta</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="233" />
            <location filename="../kiosk/service.py" line="301" />
            <source>Continue</source>
            <translation>Fortsätt</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="251" />
            <source>Working</source>
            <translation>Arbetar</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="253" />
            <source>Starting</source>
            <translation>Startar</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="254" />
            <source>Do not remove your card</source>
            <translation>Ta inte bort ditt kort</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="256" />
            <source>%1 of %2 steps</source>
            <translation>%1 av %2 steg</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="283" />
            <source>Hold your card to the reader again to see the application's state. An unfinished application can be uninstalled.</source>
            <translation>Håll kortet mot läsaren igen för att se applikationens status. En ofullständig applikation kan avinstalleras.</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="286" />
            <source>Please try again later or ask the staff for help.</source>
            <translation>Försök igen senare eller be personalen om hjälp.</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="289" />
            <source>Back to your applications</source>
            <translation>Tillbaka till dina applikationer</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="299" />
            <source>Cancel</source>
            <translation>Avbryt</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="302" />
            <source>Price</source>
            <translation>Pris</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" line="303" />
            <source>Progress</source>
            <translation>Förlopp</translation>
        </message>
        <message>
            <source>Goes back without changing your card</source>
            <translation>Går tillbaka utan att ändra ditt kort</translation>
        </message>
        <message>
            <source>Starts the service on your card</source>
            <translation>Startar tjänsten på ditt kort</translation>
        </message>
        <message>
            <source>Shows your applications with their state now</source>
            <translation>Visar dina applikationer med deras läge nu</translation>
        </message>
    </context>
    <context>
        <name>StaffGate</name>
        <message>
            <location filename="../windows.py" line="155" />
            <source>The two PINs differ.</source>
            <translation>De två PIN-koderna skiljer sig.</translation>
        </message>
        <message>
            <location filename="../windows.py" line="176" />
            <source>Wrong PIN.</source>
            <translation>Fel PIN.</translation>
        </message>
        <message>
            <location filename="../windows.py" line="180" />
            <source>No secure keyring is available: the staff PIN hash is kept in %1 (readable only by this user).</source>
            <translation>Ingen säker nyckelring finns: personal-PIN:ens hash sparas i %1 (läsbar bara för den här användaren).</translation>
        </message>
        <message>
            <location filename="../windows.py" line="185" />
            <source>Staff mode is protected by the staff PIN</source>
            <translation>Personalläget skyddas av personal-PIN</translation>
        </message>
        <message>
            <location filename="../windows.py" line="186" />
            <source>New staff PIN (4 to 12 digits)</source>
            <translation>Ny personal-PIN (4 till 12 siffror)</translation>
        </message>
        <message>
            <location filename="../windows.py" line="187" />
            <source>The same PIN again</source>
            <translation>Samma PIN igen</translation>
        </message>
        <message>
            <location filename="../windows.py" line="188" />
            <source>Set the PIN</source>
            <translation>Spara PIN</translation>
        </message>
        <message>
            <location filename="../staff/gate.py" />
            <source>The PIN must have %1 to %2 digits, and digits only.</source>
            <translation>PIN-koden måste ha %1 till %2 siffror, och bara siffror.</translation>
        </message>
        <message>
            <location filename="../staff/gate.py" />
            <source>The PIN could not be saved. Check that the data folder can be written, or ask an administrator.</source>
            <translation>PIN-koden kunde inte sparas. Kontrollera att datamappen är skrivbar, eller fråga en administratör.</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/panel.py" line="175" />
            <source>The backend is not available: %1</source>
            <translation>Servern är inte tillgänglig: %1</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="253" />
            <source>Values per card (CSV)</source>
            <translation>Värden per kort (CSV)</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="254" />
            <location filename="../staff/panel.py" line="393" />
            <source>CSV files (*.csv)</source>
            <translation>CSV-filer (*.csv)</translation>
        </message>
        <message numerus="yes">
            <location filename="../staff/panel.py" line="271" />
            <source>%n card row(s) from %1</source>
            <translation>
                <numerusform>%n kortrad från %1</numerusform>
                <numerusform>%n kortrader från %1</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="298" />
            <source>Stopped</source>
            <translation>Stoppad</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="326" />
            <source>Tap the next card</source>
            <translation>Håll fram nästa kort</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="331" />
            <source>Take the card away</source>
            <translation>Ta bort kortet</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="344" />
            <source>Working on the card… do not remove it</source>
            <translation>Arbetar med kortet… ta inte bort det</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="354" />
            <source>already done: not delivered again</source>
            <translation>redan klart: levereras inte igen</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="374" />
            <source>Skipped</source>
            <translation>Överhoppad</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="384" />
            <source>Cards: %1 · OK: %2 · Failed: %3 · Skipped: %4 · %5 cards/min</source>
            <translation>Kort: %1 · OK: %2 · Misslyckade: %3 · Överhoppade: %4 · %5 kort/min</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="391" />
            <source>Export the log</source>
            <translation>Exportera loggen</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="405" />
            <source>Log saved to %1</source>
            <translation>Loggen sparad i %1</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="410" />
            <source>What to deliver</source>
            <translation>Vad som ska levereras</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="411" />
            <source>Application</source>
            <translation>Applikation</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="412" />
            <source>Service</source>
            <translation>Tjänst</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="413" />
            <source>Values per card from CSV…</source>
            <translation>Värden per kort från CSV…</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="414" />
            <source>Same values for every card</source>
            <translation>Samma värden för alla kort</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="415" />
            <source>Deliver again to cards already done</source>
            <translation>Leverera igen till kort som redan är klara</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="416" />
            <source>Start</source>
            <translation>Starta</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="417" />
            <source>Stop</source>
            <translation>Stoppa</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="418" />
            <source>Back to the kiosk</source>
            <translation>Tillbaka till kiosken</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="419" />
            <source>Export log as CSV…</source>
            <translation>Exportera loggen som CSV…</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="420" />
            <source>Time</source>
            <translation>Tid</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="420" />
            <source>Card (CIN)</source>
            <translation>Kort (CIN)</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="421" />
            <source>Result</source>
            <translation>Resultat</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="421" />
            <source>Seconds</source>
            <translation>Sekunder</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="422" />
            <source>Message</source>
            <translation>Meddelande</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="424" />
            <source>Choose the service, then press Start</source>
            <translation>Välj tjänst och tryck sedan på Starta</translation>
        </message>
        <message>
            <location filename="../staff/panel.py" line="427" />
            <source>No secure keyring is available: the staff PIN hash is kept in %1 (readable only by this user).</source>
            <translation>Ingen säker nyckelring finns: personal-PIN:ens hash sparas i %1 (läsbar bara för den här användaren).</translation>
        </message>
        <message>
            <source>Cards done</source>
            <translation>Kort som gjorts</translation>
        </message>
    </context>
    <context>
        <name>Tester</name>
        <message>
            <location filename="../tester/models.py" line="36" />
            <source>to card</source>
            <translation>till kort</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="38" />
            <source>from card</source>
            <translation>från kort</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="39" />
            <source>note</source>
            <translation>notering</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="50" />
            <location filename="../tester/models.py" line="152" />
            <source>Time</source>
            <translation>Tid</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="51" />
            <source>Direction</source>
            <translation>Riktning</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="52" />
            <source>Command</source>
            <translation>Kommando</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="53" />
            <source>Data</source>
            <translation>Data</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="54" />
            <source>Status word</source>
            <translation>Statusord</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="55" />
            <location filename="../tester/models.py" line="156" />
            <source>Duration (ms)</source>
            <translation>Tid (ms)</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="153" />
            <source>Method</source>
            <translation>Metod</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="154" />
            <source>Path</source>
            <translation>Sökväg</translation>
        </message>
        <message>
            <location filename="../tester/models.py" line="155" />
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Card</source>
            <translation>Kort</translation>
        </message>
        <message>
            <source>Left APDU</source>
            <translation>Vänster APDU</translation>
        </message>
        <message>
            <source>Left SW</source>
            <translation>Vänster SW</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>Resultat</translation>
        </message>
        <message>
            <source>Right APDU</source>
            <translation>Höger APDU</translation>
        </message>
        <message>
            <source>Right SW</source>
            <translation>Höger SW</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>Körning</translation>
        </message>
        <message>
            <source>Seconds</source>
            <translation>Sekunder</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>Tjänst</translation>
        </message>
        <message>
            <source>Started</source>
            <translation>Startad</translation>
        </message>
        <message>
            <source>running…</source>
            <translation>pågår…</translation>
        </message>
    </context>
    <context>
        <name>TesterPanel</name>
        <message>
            <location filename="../tester/panel.py" line="241" />
            <source>Connected to the bundled backend at %1</source>
            <translation>Ansluten till den medföljande servern på %1</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="242" />
            <source>Connected to %1</source>
            <translation>Ansluten till %1</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="254" />
            <source>The backend URL must start with http:// or https://</source>
            <translation>Serverns URL måste börja med http:// eller https://</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="257" />
            <source>Connecting…</source>
            <translation>Ansluter…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="267" />
            <source>Starting the bundled backend…</source>
            <translation>Startar den medföljande servern…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="332" />
            <source>Choose an application and a service.</source>
            <translation>Välj en applikation och en tjänst.</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="336" />
            <source>No card in %1.</source>
            <translation>Inget kort i %1.</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="350" />
            <source>Reading the card…</source>
            <translation>Läser kortet…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="401" />
            <source>%1: %2 — %3 APDUs, %4 HTTP round trips, %5 s</source>
            <translation>%1: %2 — %3 APDU, %4 HTTP-anrop, %5 s</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="436" />
            <source>Save the trace</source>
            <translation>Spara spårningen</translation>
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
            <translation>Spårningen sparad i %1</translation>
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
            <translation>tom: den medföljande servern</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="483" />
            <source>Device token</source>
            <translation>Enhetstoken</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="484" />
            <source>Connect</source>
            <translation>Anslut</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="485" />
            <source>Use the bundled backend</source>
            <translation>Använd den medföljande servern</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="486" />
            <location filename="../tester/panel.py" line="488" />
            <source>Service</source>
            <translation>Tjänst</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="487" />
            <source>Application</source>
            <translation>Applikation</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="489" />
            <source>Refresh the list</source>
            <translation>Uppdatera listan</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="490" />
            <source>The service needs</source>
            <translation>Tjänsten behöver</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="491" />
            <source>Send</source>
            <translation>Skicka</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="492" />
            <source>Run</source>
            <translation>Kör</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="493" />
            <source>Cancel</source>
            <translation>Avbryt</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="494" />
            <source>Filter (command, data, status word…)</source>
            <translation>Filter (kommando, data, statusord…)</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="495" />
            <source>Filter the trace</source>
            <translation>Filtrera spårningen</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="499" />
            <source>All</source>
            <translation>Alla</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="500" />
            <source>Commands</source>
            <translation>Kommandon</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="501" />
            <source>Answers</source>
            <translation>Svar</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="502" />
            <source>Notes</source>
            <translation>Noteringar</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="505" />
            <source>Direction</source>
            <translation>Riktning</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="506" />
            <source>Copy</source>
            <translation>Kopiera</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="507" />
            <source>Save as text…</source>
            <translation>Spara som text…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="508" />
            <source>Save as JSON…</source>
            <translation>Spara som JSON…</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="509" />
            <source>Clear</source>
            <translation>Rensa</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="510" />
            <location filename="../tester/panel.py" line="512" />
            <source>APDU trace</source>
            <translation>APDU-spårning</translation>
        </message>
        <message>
            <location filename="../tester/panel.py" line="511" />
            <location filename="../tester/panel.py" line="513" />
            <source>HTTP exchanges</source>
            <translation>HTTP-utbyten</translation>
        </message>
        <message>
            <source>%1 HTTP exchanges saved to %2 (HAR)</source>
            <translation>%1 HTTP-utbyten sparade i %2 (HAR)</translation>
        </message>
        <message>
            <source>%1 of %2 trace rows (as the filter shows them) saved to %3</source>
            <translation>%1 av %2 spårrader (som filtret visar dem) sparade i %3</translation>
        </message>
        <message>
            <source>Compare the two selected</source>
            <translation>Jämför de två valda</translation>
        </message>
        <message>
            <source>Compared runs</source>
            <translation>Jämförda körningar</translation>
        </message>
        <message>
            <source>HAR (*.har)</source>
            <translation>HAR (*.har)</translation>
        </message>
        <message>
            <source>Run %1 (left) against run %2 (right): %3 of %4 APDUs differ (highlighted)</source>
            <translation>Körning %1 (vänster) mot körning %2 (höger): %3 av %4 APDU:er skiljer sig (markerade)</translation>
        </message>
        <message>
            <source>Runs</source>
            <translation>Körningar</translation>
        </message>
        <message>
            <source>Save as HAR…</source>
            <translation>Spara som HAR…</translation>
        </message>
        <message>
            <source>Save shown as JSON…</source>
            <translation>Spara det visade som JSON…</translation>
        </message>
        <message>
            <source>Save shown as text…</source>
            <translation>Spara det visade som text…</translation>
        </message>
        <message>
            <source>Save the HTTP exchanges</source>
            <translation>Spara HTTP-utbytena</translation>
        </message>
        <message>
            <source>Save the trace as the filter shows it</source>
            <translation>Spara spåret som filtret visar det</translation>
        </message>
        <message>
            <source>Saves all %1 rows</source>
            <translation>Sparar alla %1 rader</translation>
        </message>
        <message>
            <source>Saves the %1 rows the filter shows (of %2)</source>
            <translation>Sparar de %1 rader som filtret visar (av %2)</translation>
        </message>
        <message>
            <source>Select two finished runs (Ctrl+click) to see their APDUs side by side</source>
            <translation>Välj två avslutade körningar (Ctrl+klick) för att se deras APDU:er sida vid sida</translation>
        </message>
        <message>
            <source>Show its trace</source>
            <translation>Visa dess spår</translation>
        </message>
        <message>
            <source>The HTTP exchanges of the run shown, as a HAR 1.2 file for browser tools (tokens and Authorization headers masked)</source>
            <translation>HTTP-utbytena i den visade körningen, som en HAR 1.2-fil för webbläsarverktyg (token och Authorization-huvuden maskerade)</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>avbruten</translation>
        </message>
    </context>
    <context>
        <name>TimingChooser</name>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>Instant (virtual card)</source>
            <translation>Direkt (virtuellt kort)</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>JCOP4, contact</source>
            <translation>JCOP4, kontakt</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>JCOP4, contactless</source>
            <translation>JCOP4, kontaktlöst</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>DESFire EV1, contactless</source>
            <translation>DESFire EV1, kontaktlöst</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>Card timing</source>
            <translation>Korttider</translation>
        </message>
        <message>
            <location filename="../tester/timing.py" line="0" />
            <source>How long the virtual card takes per command: as a real card of this kind</source>
            <translation>Hur lång tid det virtuella kortet tar per kommando: som ett riktigt kort av detta slag</translation>
        </message>
    </context>
    <context>
        <name>ContentsView</name>
        <message numerus="yes">
            <location filename="../tester/contents.py" line="165" />
            <source>%n disagreement(s) between the card and the backend.</source>
            <translation>
                <numerusform>%n avvikelse mellan kortet och servern.</numerusform>
                <numerusform>%n avvikelser mellan kortet och servern.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="114" />
            <source>A delivery is running; the contents are read after it.</source>
            <translation>En leverans pågår; innehållet läses efter den.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="117" />
            <source>No card to read.</source>
            <translation>Inget kort att läsa.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="120" />
            <source>Reading the card contents…</source>
            <translation>Läser kortets innehåll…</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="130" />
            <source>The contents could not be read: %1</source>
            <translation>Innehållet kunde inte läsas: %1</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="149" />
            <source>on the card</source>
            <translation>på kortet</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="150" />
            <source>not on the card</source>
            <translation>inte på kortet</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="164" />
            <source>The card and the backend agree.</source>
            <translation>Kortet och servern stämmer överens.</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="208" />
            <source>Fixing…</source>
            <translation>Åtgärdar…</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="219" />
            <source>The fix failed: %1</source>
            <translation>Åtgärden misslyckades: %1</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="226" />
            <source>Card contents</source>
            <translation>Kortets innehåll</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="229" />
            <source>Read the card</source>
            <translation>Läs kortet</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>AID</source>
            <translation>AID</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>Kind</source>
            <translation>Typ</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="230" />
            <source>Life cycle</source>
            <translation>Livscykel</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="231" />
            <source>Privileges</source>
            <translation>Privilegier</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="231" />
            <source>Associated domain</source>
            <translation>Tillhörande domän</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="36" />
            <source>Application</source>
            <translation>Applikation</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="233" />
            <source>The backend's records</source>
            <translation>Serverns register</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="233" />
            <source>State</source>
            <translation>Tillstånd</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="234" />
            <source>On the card</source>
            <translation>På kortet</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="235" />
            <source>Mark Unstable</source>
            <translation>Markera som instabil</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="236" />
            <source>Purge from the card</source>
            <translation>Ta bort från kortet</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="237" />
            <source>Adopt into</source>
            <translation>Ta över till</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="171" />
            <source>%1 %2 of application %3 is not on the card</source>
            <translation>%1 %2 från applikationen %3 finns inte på kortet</translation>
        </message>
        <message>
            <location filename="../tester/contents.py" line="173" />
            <source>%1 %2 is on the card but no application accounts for it</source>
            <translation>%1 %2 finns på kortet men ingen applikation står för det</translation>
        </message>
    </context>
    <context>
        <name>CardInput</name>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Card number</source>
            <translation>Kortnummer</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Expiry (MM/YY)</source>
            <translation>Giltigt till (MM/ÅÅ)</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>CVV (if the card has one)</source>
            <translation>CVV (om kortet har en)</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The card number is not valid.</source>
            <translation>Kortnumret är inte giltigt.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The expiry month must be 01 to 12.</source>
            <translation>Månaden måste vara 01 till 12.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>The card has expired.</source>
            <translation>Kortet har gått ut.</translation>
        </message>
        <message>
            <location filename="../widgets/cardinput.py" />
            <source>Give the card number (13 to 19 digits), its expiry as MM/YY and, if it has one, its CVV.</source>
            <translation>Ange kortnumret (13 till 19 siffror), giltighetstiden som MM/ÅÅ och, om kortet har en, dess CVV.</translation>
        </message>
    </context>
    <context>
        <name>ActionsView</name>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Please call %1</source>
            <translation>Ring %1</translation>
        </message>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Cancel</source>
            <translation>Avbryt</translation>
        </message>
        <message>
            <location filename="../widgets/actions.py" />
            <source>Done</source>
            <translation>Klart</translation>
        </message>
    </context>
    <context>
        <name>TouchKeyboard</name>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Types %1</source>
            <translation>Skriver %1</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Types a space</source>
            <translation>Skriver ett mellanslag</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Hides the keyboard; the text stays</source>
            <translation>Döljer tangentbordet; texten finns kvar</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Space</source>
            <translation>Mellanslag</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Capital letter</source>
            <translation>Versal</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Delete the last character</source>
            <translation>Radera sista tecknet</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Done</source>
            <translation>Klar</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>Close the keyboard</source>
            <translation>Stäng tangentbordet</translation>
        </message>
        <message>
            <location filename="../widgets/touchkeyboard.py" />
            <source>On-screen keyboard</source>
            <translation>Skärmtangentbord</translation>
        </message>
    </context>
    <context>
        <name>FieldsForm</name>
        <message>
            <location filename="../widgets/fields.py" />
            <source>Please fill this in.</source>
            <translation>Fyll i det här.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is too short.</source>
            <translation>Det här är för kort.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is too long.</source>
            <translation>Det här är för långt.</translation>
        </message>
        <message>
            <location filename="../widgets/fields.py" />
            <source>This is not in the form asked for.</source>
            <translation>Det här har inte den form som efterfrågas.</translation>
        </message>
    </context>
    <context>
        <name>UserText</name>
        <message>
            <location filename="../usertext.py" />
            <source>The service could not be completed. Try again, or ask staff for help.</source>
            <translation>Tjänsten kunde inte slutföras. Försök igen eller be personalen om hjälp.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The card was removed before the service finished. Place it on the reader and try again.</source>
            <translation>Kortet togs bort innan tjänsten var klar. Lägg det på läsaren och försök igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Cancelled. Nothing more was written to the card.</source>
            <translation>Avbrutet. Inget mer skrevs till kortet.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The card reader failed. Check the reader and try again.</source>
            <translation>Kortläsaren fungerade inte. Kontrollera läsaren och försök igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service is not available right now. Try again in a few minutes.</source>
            <translation>Tjänsten är inte tillgänglig just nu. Försök igen om några minuter.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This is not possible in the application's current state on this card. Choose another action.</source>
            <translation>Det går inte i programmets nuvarande läge på det här kortet. Välj en annan åtgärd.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>No card is on the reader. Place your card on the reader.</source>
            <translation>Inget kort ligger på läsaren. Lägg ditt kort på läsaren.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service cannot be reached. Check the network and try again.</source>
            <translation>Tjänsten kan inte nås. Kontrollera nätverket och försök igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This device is not allowed to use the service. Ask staff to check its settings.</source>
            <translation>Den här enheten får inte använda tjänsten. Be personalen kontrollera dess inställningar.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service does not know this application or service any more. Refresh the list and try again.</source>
            <translation>Tjänsten känner inte längre till programmet eller tjänsten. Uppdatera listan och försök igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The service ended this delivery. Start again.</source>
            <translation>Tjänsten avslutade leveransen. Börja om.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This application cannot be repaired here: its services offer no uninstall or no install. Ask the Service Provider.</source>
            <translation>Applikationen kan inte repareras här: dess tjänster saknar avinstallation eller installation. Kontakta tjänsteleverantören.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Something went wrong. Try again, or ask staff for help.</source>
            <translation>Något gick fel. Försök igen eller be personalen om hjälp.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>This is a different card: nothing was written to it. The service was stopped; place the card you started with and try again.</source>
            <translation>Det här är ett annat kort: inget skrevs till det. Tjänsten stoppades; lägg kortet du började med på läsaren och försök igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The CSV file has no rows of values. Choose another file.</source>
            <translation>CSV-filen har inga rader med värden. Välj en annan fil.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The CSV file has no column for: %1. Add the columns and load the file again.</source>
            <translation>CSV-filen har ingen kolumn för: %1. Lägg till kolumnerna och läs in filen igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Line %1 of the CSV file has more values than columns. Correct it and load the file again.</source>
            <translation>Rad %1 i CSV-filen har fler värden än kolumner. Rätta den och läs in filen igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>Card %1 appears twice in the CSV file (line %2). Correct it and load the file again.</source>
            <translation>Kort %1 förekommer två gånger i CSV-filen (rad %2). Rätta det och läs in filen igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>No row of the CSV file is left for this card. Load a file with more rows, or press Stop.</source>
            <translation>Ingen rad i CSV-filen finns kvar för det här kortet. Läs in en fil med fler rader, eller tryck på Stoppa.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 could not be read. Choose another file.</source>
            <translation>Filen %1 kunde inte läsas. Välj en annan fil.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 is not a UTF-8 text file. Save it as CSV (UTF-8) and load it again.</source>
            <translation>Filen %1 är inte en UTF-8-textfil. Spara den som CSV (UTF-8) och läs in den igen.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The log could not be saved to %1. Choose another folder.</source>
            <translation>Loggen kunde inte sparas i %1. Välj en annan mapp.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The trace could not be saved to %1. Choose another folder or name.</source>
            <translation>Spåret kunde inte sparas i %1. Välj en annan mapp eller ett annat namn.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The HTTP exchanges could not be saved to %1. Choose another folder or name.</source>
            <translation>HTTP-utbytena kunde inte sparas i %1. Välj en annan mapp eller ett annat namn.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The GlobalPlatformPro log could not be saved to %1. Choose another folder or name.</source>
            <translation>GlobalPlatformPro-loggen kunde inte sparas i %1. Välj en annan mapp eller ett annat namn.</translation>
        </message>
        <message>
            <location filename="../usertext.py" />
            <source>The file %1 is not a GlobalPlatformPro log (the output of gp -d). Choose another file.</source>
            <translation>Filen %1 är ingen GlobalPlatformPro-logg (utdata från gp -d). Välj en annan fil.</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <location filename="../labels.py" />
            <source>Repair</source>
            <translation>Reparera</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/logtable.py" />
            <source>Cards: %1 · OK: %2 · Failed: %3 · Skipped: %4</source>
            <translation>Kort: %1 · OK: %2 · Misslyckade: %3 · Överhoppade: %4</translation>
        </message>
        <message>
            <location filename="../staff/logtable.py" />
            <source> · %1 cards/min</source>
            <translation> · %1 kort/min</translation>
        </message>
    </context>
    <context>
        <name>KioskView</name>
        <message numerus="yes">
            <location filename="../kiosk/waiting.py" />
            <source>About %n second(s) left</source>
            <translation>
                <numerusform>Cirka %n sekund kvar</numerusform>
                <numerusform>Cirka %n sekunder kvar</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../kiosk/waiting.py" />
            <source>This is taking longer than usual. You can wait or cancel.</source>
            <translation>Det här tar längre tid än vanligt. Du kan vänta eller avbryta.</translation>
        </message>
        <message>
            <location filename="../kiosk/waiting.py" />
            <source>Cancel</source>
            <translation>Avbryt</translation>
        </message>
    </context>
    <context>
        <name>ServiceScreen</name>
        <message>
            <location filename="../kiosk/service.py" />
            <source>This took too long</source>
            <translation>Det tog för lång tid</translation>
        </message>
        <message>
            <location filename="../kiosk/service.py" />
            <source>The service did not answer in time. Nothing more was done. Please try again later or ask the staff for help.</source>
            <translation>Tjänsten svarade inte i tid. Inget mer gjordes. Försök igen senare eller be personalen om hjälp.</translation>
        </message>
    </context>
    <context>
        <name>TesterWait</name>
        <message>
            <location filename="../tester/waiting.py" />
            <source>Cancelling…</source>
            <translation>Avbryter…</translation>
        </message>
        <message numerus="yes">
            <location filename="../tester/waiting.py" />
            <source>about %n s left</source>
            <translation>
                <numerusform>cirka %n s kvar</numerusform>
                <numerusform>cirka %n s kvar</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../tester/waiting.py" />
            <source>taking longer than usual (Cancel stops it)</source>
            <translation>tar längre tid än vanligt (Avbryt stoppar)</translation>
        </message>
        <message>
            <location filename="../tester/waiting.py" />
            <source>No answer within %1 s: the run was stopped.</source>
            <translation>Inget svar inom %1 s: körningen stoppades.</translation>
        </message>
    </context>
    <context>
        <name>StaffWait</name>
        <message>
            <location filename="../staff/waiting.py" />
            <source>This is taking longer than usual. Stop ends it.</source>
            <translation>Det här tar längre tid än vanligt. Stoppa avslutar.</translation>
        </message>
        <message>
            <location filename="../staff/waiting.py" />
            <source>No answer within %1 s: stopped.</source>
            <translation>Inget svar inom %1 s: stoppad.</translation>
        </message>
    </context>
    <context>
        <name>PinCheck</name>
        <message>
            <location filename="../widgets/pincheck.py" />
            <source>No staff PIN is set. Set one with: touchpoint --set-staff-pin</source>
            <translation>Ingen personal-PIN är satt. Sätt en med: touchpoint --set-staff-pin</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/pincheck.py" />
            <source>Too many wrong PINs. Wait %n second(s).</source>
            <translation>
                <numerusform>För många fel PIN. Vänta %n sekund.</numerusform>
                <numerusform>För många fel PIN. Vänta %n sekunder.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../widgets/pincheck.py" />
            <source>Wrong PIN.</source>
            <translation>Fel PIN.</translation>
        </message>
    </context>
    <context>
        <name>DesktopWindow</name>
        <message>
            <location filename="../windows.py" />
            <source>A delivery is running here: wait for its result or cancel it before changing tabs.</source>
            <translation>En leverans pågår här: vänta på resultatet eller avbryt den innan du byter flik.</translation>
        </message>
    </context>
    <context>
        <name>StaffGate</name>
        <message>
            <location filename="../staff/gate.py" />
            <source>Tester mode is protected by the staff PIN</source>
            <translation>Testläget skyddas av personal-PIN:en</translation>
        </message>
    </context>
    <context>
        <name>StaffPanel</name>
        <message>
            <location filename="../staff/panel.py" />
            <source>Repair an app that needs it (uninstall, then install)</source>
            <translation>Reparera ett program som behöver det (avinstallera, sedan installera)</translation>
        </message>
    </context>
    <context>
        <name>TesterPanel</name>
        <message>
            <location filename="../tester/picker.py" />
            <source>Repair an app that needs it (uninstall, then install)</source>
            <translation>Reparera ett program som behöver det (avinstallera, sedan installera)</translation>
        </message>
    </context>
    <context>
        <name>ReplaceCard</name>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Place your card again. The service goes on when the same card is back on the reader.</source>
            <translation>Lägg kortet på läsaren igen. Tjänsten fortsätter när samma kort är tillbaka på läsaren.</translation>
        </message>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Cancel</source>
            <translation>Avbryt</translation>
        </message>
        <message>
            <location filename="../widgets/replace_card.py" />
            <source>Cancel the service</source>
            <translation>Avbryt tjänsten</translation>
        </message>
        <message numerus="yes">
            <location filename="../widgets/replace_card.py" />
            <source>%n second(s) left</source>
            <translation>
                <numerusform>%n sekund kvar</numerusform>
                <numerusform>%n sekunder kvar</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DetailScreen</name>
        <message>
            <location filename="../kiosk/detail.py" />
            <source>Something went wrong the last time this application was changed on your card. Tap Repair: it is uninstalled, then installed again.</source>
            <translation>Något gick fel senast programmet ändrades på ditt kort. Tryck på Reparera: det avinstalleras och installeras sedan igen.</translation>
        </message>
    </context>
    <context>
        <name>FieldsForm</name>
        <message>
            <source>Asked by the service: %1</source>
            <translation>Tjänsten frågar efter: %1</translation>
        </message>
    </context>
</TS>
