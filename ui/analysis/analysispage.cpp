#include "analysis/analysispage.h"

#include "analysis/chartpanel.h"
#include "analysis/metrictablemodel.h"
#include "common/roles.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace rs::ui {

AnalysisPage::AnalysisPage(QWidget *parent)
    : QWidget(parent)
{
    auto *content = new QWidget;
    m_summary = new QLabel(content);
    m_summary->setWordWrap(true);
    m_top = new QVBoxLayout;
    m_grid = new QGridLayout;
    m_tableBox = new QVBoxLayout;
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(m_summary);
    layout->addLayout(m_top);
    layout->addLayout(m_grid, 1);
    layout->addLayout(m_tableBox);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
}

void AnalysisPage::setControls(QWidget *controls)
{
    m_top->addWidget(controls);
}

void AnalysisPage::setBusy(bool busy)
{
    for (ChartPanel *chart : m_charts)
        chart->setBusy(busy);
}

void AnalysisPage::setSection(const ReportSection &section)
{
    m_section = section;
    m_summary->setText(section.summary);
    while (m_charts.size() < section.charts.size()) {
        auto *panel = new ChartPanel(this);
        panel->setMinimumHeight(340);
        const int i = int(m_charts.size());
        m_grid->addWidget(panel, i / 2, i % 2);
        connect(panel, &ChartPanel::pointActivated, this, &AnalysisPage::pointActivated);
        m_charts.append(panel);
    }
    for (int i = 0; i < m_charts.size(); ++i) {
        m_charts[i]->setVisible(i < section.charts.size());
        if (i < section.charts.size())
            m_charts[i]->setSpec(section.charts.at(i));
    }
    while (m_tables.size() < section.tables.size()) {
        auto *title = new QLabel(this);
        QFont bold = title->font();
        bold.setBold(true);
        title->setFont(bold);
        auto *model = new MetricTableModel(this);
        auto *proxy = new QSortFilterProxyModel(this);
        proxy->setSourceModel(model);
        proxy->setSortRole(SortRole);
        auto *view = new QTableView(this);
        view->setModel(proxy);
        view->setSortingEnabled(true);
        view->sortByColumn(-1, Qt::AscendingOrder); // the family's own order until a click
        view->setAlternatingRowColors(true);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
        connect(view, &QTableView::doubleClicked, this, [this, proxy](const QModelIndex &index) {
            const qint64 prompt = proxy->data(index, PromptIdRole).toLongLong();
            if (prompt)
                Q_EMIT pointActivated(prompt, 0);
        });
        m_tableBox->addWidget(title);
        m_tableBox->addWidget(view);
        m_tableTitles.append(title);
        m_tables.append(view);
        m_models.append(model);
    }
    for (int i = 0; i < m_tables.size(); ++i) {
        const bool shown = i < section.tables.size();
        m_tables[i]->setVisible(shown);
        m_tableTitles[i]->setVisible(shown);
        m_models[i]->setTable(shown ? section.tables.at(i) : MetricTable{});
        if (shown) {
            m_tableTitles[i]->setText(section.tables.at(i).title);
            QTableView *view = m_tables[i];
            view->resizeColumnsToContents();
            // As tall as its rows, up to a limit: a short table leaves no empty box behind.
            const int rows = std::min<int>(int(section.tables.at(i).rows.size()), 8);
            const int height = view->horizontalHeader()->sizeHint().height() +
                               std::max(1, rows) * view->verticalHeader()->defaultSectionSize() +
                               view->horizontalScrollBar()->sizeHint().height() +
                               2 * view->frameWidth() + 4;
            view->setFixedHeight(height);
        }
    }
}

} // namespace rs::ui
