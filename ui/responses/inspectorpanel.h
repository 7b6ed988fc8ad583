#pragma once

#include "domain/records.h"
#include "verdicts/verdictfocus.h"

#include <QWidget>

class QGroupBox;
class QLabel;
class QStackedWidget;
class QTableView;

namespace rs::ui {

class CellInspector;
class RewardBreakdownModel;
class VerdictEditor;

/// The right-hand inspector. For the selected response: its facts (generator, tier, length,
/// source, policy) and, when a row is selected, how its reward comes together criterion by
/// criterion; when a verdict cell is selected, that verdict in full (CellInspector) with the
/// override controls.
class InspectorPanel final : public QWidget {
    Q_OBJECT

public:
    explicit InspectorPanel(QWidget *parent = nullptr);

    /// Follows the focus of `editor` (the Responses table's) and overrides through it.
    void setVerdictEditor(VerdictEditor *editor);
    void showFocus(const VerdictFocus &focus);
    void showResponse(const rs::ResponseRecord &record);

    /// The reward breakdown of the selected row, one line per criterion.
    QTableView *breakdownView() const { return m_breakdown; }
    RewardBreakdownModel *breakdownModel() const { return m_breakdownModel; }
    QLabel *breakdownSummary() const { return m_summary; }
    CellInspector *cellInspector() const { return m_cell; }
    /// Whether the verdict page (rather than the reward breakdown) is showing.
    bool showsCell() const;
    QString responseSummary() const;
    /// The warning shown when the response seems to address the judge; hidden otherwise.
    QLabel *injectionWarning() const { return m_injection; }

private:
    QGroupBox *m_responseBox = nullptr;
    QLabel *m_generator = nullptr;
    QLabel *m_tier = nullptr;
    QLabel *m_length = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_policy = nullptr;
    QLabel *m_injection = nullptr;
    QGroupBox *m_detailBox = nullptr;
    QStackedWidget *m_pages = nullptr;
    QTableView *m_breakdown = nullptr;
    RewardBreakdownModel *m_breakdownModel = nullptr;
    QLabel *m_summary = nullptr;
    CellInspector *m_cell = nullptr;
};

} // namespace rs::ui
