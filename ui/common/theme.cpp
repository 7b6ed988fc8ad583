#include "common/theme.h"

#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QSettings>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleFactory>

namespace rs::ui {
namespace {

const auto kThemeKey = QStringLiteral("appearance/theme");

bool darkColour(const QColor &c) { return c.lightness() < 128; }

/// gtk-3.0/gtk-4.0 settings.ini: prefer-dark, or a theme whose name says dark ("Adwaita-dark").
bool gtkPrefersDark(const QString &configDir)
{
    for (const char *version : {"gtk-4.0", "gtk-3.0"}) {
        const QString path = configDir + QLatin1Char('/') + QLatin1String(version) + QStringLiteral("/settings.ini");
        if (!QFile::exists(path))
            continue;
        QSettings ini(path, QSettings::IniFormat);
        const QString prefer = ini.value(QStringLiteral("Settings/gtk-application-prefer-dark-theme")).toString();
        if (prefer == QLatin1String("1") || prefer.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return true;
        if (ini.value(QStringLiteral("Settings/gtk-theme-name")).toString().contains(QLatin1String("dark"), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

/// kdeglobals: the window background KDE paints with, "r,g,b".
bool kdePrefersDark(const QString &configDir)
{
    const QString path = configDir + QStringLiteral("/kdeglobals");
    if (!QFile::exists(path))
        return false;
    QSettings ini(path, QSettings::IniFormat);
    const QStringList rgb = ini.value(QStringLiteral("Colors:Window/BackgroundNormal")).toStringList();
    if (rgb.size() < 3)
        return false;
    return darkColour(QColor(rgb[0].trimmed().toInt(), rgb[1].trimmed().toInt(), rgb[2].trimmed().toInt()));
}

} // namespace

Theme::Theme(QObject *parent)
    : QObject(parent)
{
    rememberStartup();
}

Theme *Theme::instance()
{
    static Theme *theme = new Theme(qApp);
    return theme;
}

void Theme::rememberStartup()
{
    m_startupPalette = QApplication::palette();
    m_startupStyle = QApplication::style() ? QApplication::style()->name() : QString();
}

void Theme::apply(Mode mode)
{
    m_mode = mode;
    const bool startupDark = darkColour(m_startupPalette.color(QPalette::Window));
    const bool dark = mode == Mode::Dark || (mode == Mode::System && systemPrefersDark());
    if (dark == startupDark) {
        // The desktop's own look already is what was asked for: keep its style and palette.
        if (!m_startupStyle.isEmpty() && QApplication::style()->name() != m_startupStyle)
            QApplication::setStyle(m_startupStyle);
        QApplication::setPalette(m_startupPalette);
    } else {
        // Fusion draws every control from the palette, so a palette swap recolours all of it;
        // native-looking styles keep light bitmaps here and there.
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
    }
    Q_EMIT changed(isDark());
}

bool Theme::isDark()
{
    return darkColour(QApplication::palette().color(QPalette::Window));
}

Theme::Mode Theme::saved()
{
    Mode mode = Mode::System;
    parse(QSettings().value(kThemeKey).toString(), &mode);
    return mode;
}

void Theme::save(Mode mode)
{
    QSettings().setValue(kThemeKey, name(mode));
}

QString Theme::name(Mode mode)
{
    switch (mode) {
    case Mode::Light:
        return QStringLiteral("light");
    case Mode::Dark:
        return QStringLiteral("dark");
    case Mode::System:
        break;
    }
    return QStringLiteral("system");
}

bool Theme::parse(const QString &text, Mode *mode)
{
    for (Mode m : {Mode::System, Mode::Light, Mode::Dark})
        if (text.compare(name(m), Qt::CaseInsensitive) == 0) {
            *mode = m;
            return true;
        }
    return false;
}

bool Theme::systemPrefersDark(const QString &configDir)
{
    // A platform theme (KDE's, GTK's with a dark theme) hands Qt a dark palette already.
    if (darkColour(instance()->m_startupPalette.color(QPalette::Window)))
        return true;
    const QString gtkTheme = qEnvironmentVariable("GTK_THEME");
    if (gtkTheme.contains(QLatin1String("dark"), Qt::CaseInsensitive))
        return true;
    const QString dir = configDir.isEmpty()
                            ? QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
                            : configDir;
    return gtkPrefersDark(dir) || kdePrefersDark(dir);
}

QPalette Theme::darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3b));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x51));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x42, 0x46));
    p.setColor(QPalette::Mid, QColor(0x8a, 0x8d, 0x91)); // secondary text (chart notes) reads on Window
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d));
    p.setColor(QPalette::Shadow, QColor(0x0f, 0x0f, 0x10));
    p.setColor(QPalette::Highlight, QColor(0x35, 0x84, 0xe4));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0x78, 0xae, 0xed));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x8c, 0xe8));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x53, 0x57));
    return p;
}

QColor Theme::errorColour()
{
    return isDark() ? QColor(0xff, 0x7b, 0x72) : QColor(0xb3, 0x26, 0x1e);
}

QColor Theme::warningColour()
{
    return isDark() ? QColor(0xf0, 0xa0, 0x3c) : QColor(0xb0, 0x6a, 0x00);
}

void Theme::addMenu(QMenu *view)
{
    QMenu *menu = view->addMenu(tr("&Theme"));
    menu->setObjectName(QStringLiteral("themeMenu"));
    auto *group = new QActionGroup(menu);
    group->setExclusive(true);
    const std::pair<Mode, QString> entries[] = {{Mode::System, tr("Follow the &System")},
                                                {Mode::Light, tr("&Light")},
                                                {Mode::Dark, tr("&Dark")}};
    for (const auto &[mode, text] : entries) {
        QAction *action = menu->addAction(text);
        action->setObjectName(QStringLiteral("theme-") + name(mode));
        action->setCheckable(true);
        action->setChecked(mode == m_mode);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, mode = mode] {
            save(mode);
            apply(mode);
        });
    }
    // A --theme launch or another window may change the mode; keep the checks in step.
    connect(this, &Theme::changed, menu, [this, menu] {
        for (QAction *action : menu->actions())
            action->setChecked(action->objectName() == QStringLiteral("theme-") + name(m_mode));
    });
}

} // namespace rs::ui
