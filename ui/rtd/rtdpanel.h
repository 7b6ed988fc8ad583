#pragma once

#include "authoring/rtdrunner.h"
#include "rtd/rtdsnapshot.h"

#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableView;

namespace rs::ui {

class JudgeController;
class MarkdownView;
class ProjectSession;
class RtdProposalModel;
class RtdRoundModel;

/// The RTD tab: for the selected prompt, the rounds so far; the pair that drove the selected
/// round (or the one a proposal is waiting on) side by side with their verdicts under the
/// rubric of that round; and a proposed rewrite as a diff to accept or reject per criterion.
/// "Propose round" and "Run rounds" are jobs in the Jobs dock (judge, pick, rewrite off the
/// GUI thread); Accept saves the accepted criteria as the next version on a worker. With no
/// proposal waiting, the lower pane shows the change the selected saved round made, so the
/// history reads without a provider.
class RtdPanel final : public QWidget {
    Q_OBJECT

public:
    explicit RtdPanel(QWidget *parent = nullptr);
    ~RtdPanel() override;

    void setController(ProjectSession *session, JudgeController *controller);
    void setProject(const QString &path);
    void setPrompt(qint64 promptId);
    void reload();

    /// Starts a job proposing one round for the prompt (pair by the selection mode).
    void proposeRound();
    /// Starts a job running rounds (accepted automatically) for the prompt or all prompts, or
    /// for the prompts served at the chosen training step.
    void runRounds();
    /// Online refinement: the scope becomes the responses `serve` rewarded at `step` (the
    /// Training tab's "Refine on This Step…"); Propose and Run then work on that pool.
    void setServedStep(qint64 step);
    /// The step whose served responses form the pool, when that is the scope.
    std::optional<qint64> servedStep() const;
    /// Saves the accepted changes of the shown proposal as the next version.
    void acceptProposal();
    void rejectProposal();
    /// Shows a proposal (the review step); the panel's own jobs call it.
    void showProposal(const authoring::PendingRound &pending);

    RtdRoundModel *roundModel() const { return m_rounds; }
    RtdProposalModel *proposalModel() const { return m_proposal; }
    QTableView *roundView() const { return m_roundView; }
    QTableView *proposalView() const { return m_proposalView; }
    QLabel *proposalLabel() const { return m_proposalLabel; }
    /// Says there is no provider to propose with (and links to the providers dialog).
    QLabel *noProviderLabel() const { return m_noProvider; }
    MarkdownView *readerA() const { return m_readerA; }
    MarkdownView *readerB() const { return m_readerB; }
    QComboBox *proposerCombo() const { return m_proposer; }
    QComboBox *scopeCombo() const { return m_scope; }
    QSpinBox *roundsSpin() const { return m_roundsSpin; }
    /// Responses drawn per prompt from a served step's pool (0: all); shown for that scope only.
    QSpinBox *sampleSpin() const { return m_sampleSpin; }
    QPushButton *runButton() const { return m_runButton; }
    bool hasProposal() const { return m_pending != nullptr; }

Q_SIGNALS:
    void loaded();
    void proposalShown();
    void message(const QString &text);

private:
    void loadSnapshot(const RtdFocus &focus);
    void show(const RtdSnapshot &s);
    void onRoundClicked(int row);
    authoring::RtdConfig baseConfig() const;
    void updateButtons();

    ProjectSession *m_session = nullptr;
    JudgeController *m_controller = nullptr;
    QString m_path;
    qint64 m_promptId = 0;
    quint64 m_generation = 0;
    std::unique_ptr<authoring::PendingRound> m_pending;
    int m_shownRound = 0;      ///< the saved round whose change the lower pane shows
    qint64 m_shownVersion = 0; ///< the version it made; 0 when none is shown
    QString m_shownNote;
    QLabel *m_header = nullptr;
    QLabel *m_noProvider = nullptr;
    QComboBox *m_proposer = nullptr;
    QComboBox *m_judge = nullptr;
    QComboBox *m_select = nullptr;
    QComboBox *m_scope = nullptr;
    QSpinBox *m_roundsSpin = nullptr;
    QSpinBox *m_sampleSpin = nullptr;
    QAction *m_sampleAction = nullptr; ///< the spin box's place in the toolbar, to hide it
    QPushButton *m_proposeButton = nullptr;
    QPushButton *m_runButton = nullptr;
    RtdRoundModel *m_rounds = nullptr;
    QTableView *m_roundView = nullptr;
    QLabel *m_captionA = nullptr;
    QLabel *m_captionB = nullptr;
    QLabel *m_verdictsA = nullptr;
    QLabel *m_verdictsB = nullptr;
    MarkdownView *m_readerA = nullptr;
    MarkdownView *m_readerB = nullptr;
    QLabel *m_proposalLabel = nullptr;
    RtdProposalModel *m_proposal = nullptr;
    QTableView *m_proposalView = nullptr;
    QPushButton *m_acceptButton = nullptr;
    QPushButton *m_rejectButton = nullptr;
};

} // namespace rs::ui
