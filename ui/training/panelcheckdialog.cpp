#include "training/panelcheckdialog.h"

#include "providers/providerlistmodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace rs::ui {

PanelCheckDialog::PanelCheckDialog(ProviderListModel &providers, qint64 step, int topK,
                                   QWidget *parent)
    : QDialog(parent)
    , m_providers(providers) {
    setWindowTitle(tr("Panel Check · Step %1").arg(step));
    auto *intro = new QLabel(
        tr("Asks other judge models, without the rubric, whether each of the %1 top-rewarded "
           "responses of step %2 is better than a median response of its prompt. A top response "
           "the panel ranks lower is marked suspect. Choose one provider or a panel of 2 to 5 "
           "with different models; pairs the same panel answered before are not asked again.")
            .arg(topK)
            .arg(step),
        this);
    intro->setWordWrap(true);

    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("panelCheckProviders"));
    m_view->setModel(&m_providers);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::MultiSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    for (int c : {ProviderListModel::KindColumn, ProviderListModel::UrlColumn,
                  ProviderListModel::KeyColumn})
        m_view->hideColumn(c);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);

    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PanelCheckDialog::updateState);
    connect(&m_providers, &QAbstractItemModel::modelReset, this, &PanelCheckDialog::updateState);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_hint);
    layout->addWidget(buttons);
    resize(560, 380);
    updateState();
}

std::vector<llm::ProviderConfig> PanelCheckDialog::panel() const {
    QList<int> rows;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        rows << i.row();
    std::sort(rows.begin(), rows.end());
    std::vector<llm::ProviderConfig> out;
    for (int row : rows)
        out.push_back(m_providers.provider(row));
    return out;
}

void PanelCheckDialog::updateState() {
    const std::vector<llm::ProviderConfig> chosen = panel();
    QSet<QString> models;
    for (const llm::ProviderConfig &p : chosen)
        models.insert(p.model);
    QString problem;
    if (m_providers.rowCount() == 0)
        problem = tr("No providers are configured: add one under Judge › Providers….");
    else if (chosen.empty())
        problem = tr("Select the oracle provider, or 2 to 5 for a panel.");
    else if (chosen.size() > 5)
        problem = tr("A panel has at most 5 models.");
    else if (qsizetype(models.size()) != qsizetype(chosen.size()))
        problem = tr("Each panel member must be a different model.");
    m_hint->setText(
        problem.isEmpty()
            ? (chosen.size() == 1
                   ? tr("One oracle model, asked in both orders.")
                   : tr("A panel of %1 models, each asked in both orders.").arg(chosen.size()))
            : problem);
    m_start->setEnabled(problem.isEmpty());
}

} // namespace rs::ui
