#pragma once

#include "analysis/reportwriter.h"

#include <QList>
#include <QWidget>

class QGridLayout;
class QLabel;
class QTableView;
class QVBoxLayout;

namespace rs::ui {

class ChartPanel;
class MetricTableModel;

/// One metric family in the Analysis tab: its summary line, its charts in a two-column grid
/// and its tables below. Panels and tables are reused across updates so a recomputation
/// does not reset what the user was looking at.
class AnalysisPage final : public QWidget {
    Q_OBJECT

public:
    explicit AnalysisPage(QWidget *parent = nullptr);

    void setSection(const ReportSection &section);
    const ReportSection &section() const { return m_section; }
    /// Controls shown above the charts (the theory explorer's c and beta).
    void setControls(QWidget *controls);
    void setBusy(bool busy);

    QList<ChartPanel *> charts() const { return m_charts; }
    QList<QTableView *> tables() const { return m_tables; }

Q_SIGNALS:
    void pointActivated(qint64 promptId, qint64 responseId);

private:
    ReportSection m_section;
    QLabel *m_summary = nullptr;
    QVBoxLayout *m_top = nullptr;
    QGridLayout *m_grid = nullptr;
    QVBoxLayout *m_tableBox = nullptr;
    QList<ChartPanel *> m_charts;
    QList<QTableView *> m_tables;
    QList<QLabel *> m_tableTitles;
    QList<MetricTableModel *> m_models;
};

} // namespace rs::ui
