#pragma once

#include <QObject>
#include <QPalette>
#include <QString>

class QMenu;

namespace rs::ui {

/// Light and dark looks. "System" follows the desktop: the palette the platform theme hands Qt,
/// else the GTK and KDE settings files (Qt 6.4 has no colour-scheme query of its own). The
/// choice is kept in QSettings; --theme overrides it for one launch without saving.
class Theme final : public QObject {
    Q_OBJECT

public:
    enum class Mode { System, Light, Dark };

    static Theme *instance();

    /// Applies `mode` to the application (style and palette) and announces the change.
    void apply(Mode mode);
    Mode mode() const { return m_mode; }
    /// Whether what is on screen now is dark (whatever mode got it there).
    static bool isDark();

    /// The saved choice (System when none).
    static Mode saved();
    static void save(Mode mode);
    static QString name(Mode mode);
    /// Reads "system", "light" or "dark" (any case); false for anything else.
    static bool parse(const QString &text, Mode *mode);

    /// Whether the desktop asks for a dark look, judged from the start-up palette and the
    /// GTK/KDE settings under `configDir` (the user's ~/.config when empty).
    static bool systemPrefersDark(const QString &configDir = {});
    static QPalette darkPalette();
    /// Text colours for errors and warnings that read on the current background.
    static QColor errorColour();
    static QColor warningColour();

    /// Adds View › Theme: System, Light, Dark as one exclusive group that applies and saves.
    void addMenu(QMenu *view);

Q_SIGNALS:
    void changed(bool dark);

private:
    explicit Theme(QObject *parent);
    void rememberStartup();

    Mode m_mode = Mode::System;
    QPalette m_startupPalette;
    QString m_startupStyle;
};

} // namespace rs::ui
