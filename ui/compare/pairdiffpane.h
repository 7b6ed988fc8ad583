#pragma once

#include <QList>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace rs::ui {

class ProjectEdits;

/// Two of the compared responses, left and right: their word-level diff (left → right,
/// computed on a worker) and the buttons that record which one is better as a gold preference
/// (left wins, tie, right wins; undoable), with what was recorded for the pair before.
class PairDiffPane final : public QWidget {
    Q_OBJECT

public:
    struct Choice final {
        qint64 responseId = 0;
        QString label; ///< "A · frontier-large"
        QString text;
    };

    explicit PairDiffPane(QWidget *parent = nullptr);

    void setEdits(ProjectEdits *edits);
    /// The responses the pair is picked from; the pair is kept when both are still there,
    /// else it becomes the first two.
    void setChoices(const QString &projectPath, qint64 promptId, const QList<Choice> &choices);
    /// Picks the pair by index into the choices.
    bool setPair(int left, int right);
    qint64 leftId() const;
    qint64 rightId() const;

    /// Records "right is better with probability `preference`" (0 left wins, 1 right wins).
    void recordPreference(double preference);

    QComboBox *leftCombo() const { return m_left; }
    QComboBox *rightCombo() const { return m_right; }
    QTextBrowser *diffView() const { return m_view; }
    QLabel *statsLabel() const { return m_stats; }
    QLabel *recordedLabel() const { return m_recorded; }
    QPushButton *preferLeftButton() const { return m_preferLeft; }
    QPushButton *tieButton() const { return m_tie; }
    QPushButton *preferRightButton() const { return m_preferRight; }

Q_SIGNALS:
    /// The diff of left → right is on screen.
    void diffShown(qint64 leftId, qint64 rightId);
    /// The recorded preferences of the pair are on screen.
    void recordedShown(qint64 leftId, qint64 rightId);

private:
    void fillCombos();
    void onPairChanged();
    void updateDiff();
    void loadRecorded();
    void updateButtons();
    const Choice *choice(qint64 responseId) const;

    ProjectEdits *m_edits = nullptr;
    QString m_path;
    qint64 m_promptId = 0;
    QList<Choice> m_choices;
    qint64 m_leftId = 0;
    qint64 m_rightId = 0;
    QComboBox *m_left = nullptr;
    QComboBox *m_right = nullptr;
    QLabel *m_stats = nullptr;
    QTextBrowser *m_view = nullptr;
    QPushButton *m_preferLeft = nullptr;
    QPushButton *m_tie = nullptr;
    QPushButton *m_preferRight = nullptr;
    QLabel *m_recorded = nullptr;
    quint64 m_diffGeneration = 0;
    quint64 m_recordedGeneration = 0;
};

} // namespace rs::ui
