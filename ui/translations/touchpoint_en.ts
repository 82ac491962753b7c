<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>KioskView</name>
    <message numerus="yes">
        <location filename="../kiosk/view.py" line="475"/>
        <source>The screen will start over in %n second(s).</source>
        <translation>
            <numerusform>The screen will start over in %n second.</numerusform>
            <numerusform>The screen will start over in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../kiosk/view.py" line="503"/>
        <source>Too many wrong PINs. Wait %n second(s).</source>
        <translation>
            <numerusform>Too many wrong PINs. Wait %n second.</numerusform>
            <numerusform>Too many wrong PINs. Wait %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message numerus="yes">
        <location filename="../widgets/pinpad.py" line="71"/>
        <location filename="../widgets/pinpad.py" line="92"/>
        <source>PIN entered: %n digit(s)</source>
        <translation>
            <numerusform>PIN entered: %n digit</numerusform>
            <numerusform>PIN entered: %n digits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StaffPanel</name>
    <message numerus="yes">
        <location filename="../staff/panel.py" line="271"/>
        <source>%n card row(s) from %1</source>
        <translation>
            <numerusform>%n card row from %1</numerusform>
            <numerusform>%n card rows from %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ContentsView</name>
    <message numerus="yes">
        <location filename="../tester/contents.py" line="165"/>
        <source>%n disagreement(s) between the card and the backend.</source>
        <translation>
            <numerusform>%n disagreement between the card and the backend.</numerusform>
            <numerusform>%n disagreements between the card and the backend.</numerusform>
        </translation>
    </message>
</context>
    <context>
        <name>KioskView</name>
        <message numerus="yes">
            <location filename="../kiosk/waiting.py" />
            <source>About %n second(s) left</source>
            <translation>
                <numerusform>About %n second left</numerusform>
                <numerusform>About %n seconds left</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TesterWait</name>
        <message numerus="yes">
            <location filename="../tester/waiting.py" />
            <source>about %n s left</source>
            <translation>
                <numerusform>about %n s left</numerusform>
                <numerusform>about %n s left</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>PinCheck</name>
        <message numerus="yes">
            <location filename="../widgets/pincheck.py" />
            <source>Too many wrong PINs. Wait %n second(s).</source>
            <translation>
                <numerusform>Too many wrong PINs. Wait %n second.</numerusform>
                <numerusform>Too many wrong PINs. Wait %n seconds.</numerusform>
            </translation>
        </message>
    </context>
<context>
    <name>ReplaceCard</name>
    <message numerus="yes">
        <location filename="../widgets/replace_card.py"/>
        <source>%n second(s) left</source>
        <translation>
            <numerusform>%n second left</numerusform>
            <numerusform>%n seconds left</numerusform>
        </translation>
    </message>
</context>
</TS>
