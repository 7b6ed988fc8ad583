#pragma once

#include "judge/verdictgrid.h"
#include "verdicts/verdictfocus.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace rs::ui {

class VerdictEditor;

/// The inspector's page for one verdict: the criterion and its weight, the verdict with its
/// vote split, the judge's rationale, the judge call (attempts, cache, tokens, cost) and its
/// raw answer behind a disclosure arrow, the human override with its note, and the override
/// controls: a note field and Yes / No / Clear, the same actions as the table's Y, N, Delete.
///
/// The call details are read on a worker when the focused cell's call changes.
class CellInspector final : public QWidget {
    Q_OBJECT

public:
    explicit CellInspector(QWidget *parent = nullptr);

    /// Binds the note field and the buttons to `editor` (and follows its focus).
    void setVerdictEditor(VerdictEditor *editor);
    void showFocus(const VerdictFocus &focus);

    QLabel *criterionLabel() const { return m_criterion; }
    QLabel *verdictLabel() const { return m_verdict; }
    QLabel *rationaleLabel() const { return m_rationale; }
    QLabel *callLabel() const { return m_call; }
    QLabel *overrideLabel() const { return m_override; }
    QToolButton *rawToggle() const { return m_rawToggle; }
    QPlainTextEdit *rawAnswer() const { return m_raw; }
    QLineEdit *noteEdit() const { return m_note; }
    QPushButton *yesButton() const { return m_yes; }
    QPushButton *noButton() const { return m_no; }
    QPushButton *clearButton() const { return m_clear; }
    /// The call whose details are shown (0 while none is, or while loading).
    qint64 shownCallId() const { return m_shownCallId; }

Q_SIGNALS:
    /// The details of `callId` arrived (or failed to).
    void callLoaded(qint64 callId);

private:
    void loadCall(const QString &path, qint64 callId);
    void showCall(const judge::CallDetail &detail);
    void updateButtons();

    VerdictEditor *m_editor = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_criterion = nullptr;
    QLabel *m_verdictIcon = nullptr;
    QLabel *m_verdict = nullptr;
    QLabel *m_rationale = nullptr;
    QLabel *m_call = nullptr;
    QToolButton *m_rawToggle = nullptr;
    QPlainTextEdit *m_raw = nullptr;
    QLabel *m_override = nullptr;
    QLineEdit *m_note = nullptr;
    QPushButton *m_yes = nullptr;
    QPushButton *m_no = nullptr;
    QPushButton *m_clear = nullptr;
    QString m_callPath;       ///< the project of m_callId
    qint64 m_callId = 0;      ///< the call of the focused cell
    qint64 m_shownCallId = 0; ///< the call whose details are on screen
    quint64 m_generation = 0;
};

} // namespace rs::ui
