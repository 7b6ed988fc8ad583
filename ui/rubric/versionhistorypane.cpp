#include "rubric/versionhistorypane.h"

#include "common/asynctask.h"
#include "common/roles.h"
#include "rubric/rubricdiffmodel.h"
#include "rubric/versionlistmodel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {

VersionHistoryPane::VersionHistoryPane(QWidget *parent)
    : QWidget(parent)
    , m_versions(new VersionListModel(this))
    , m_diff(new RubricDiffModel(this)) {
    m_history = new QTableView(this);
    m_history->setObjectName(QStringLiteral("versionHistory"));
    m_history->setModel(m_versions);
    m_history->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_history->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_history->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_history->verticalHeader()->hide();
    m_history->horizontalHeader()->setStretchLastSection(true);
    m_history->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_history->setToolTip(tr("One version: what it changed. Two (Ctrl+click): compare them. "
                             "None: the unsaved draft against the current version."));

    m_restore = new QPushButton(tr("&Restore"), this);
    m_restore->setToolTip(
        tr("Make a copy of the selected version the current one (history is kept)"));
    m_tag = new QPushButton(tr("&Tag…"), this);
    m_tag->setToolTip(tr("Name the selected version, e.g. \"baseline\""));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("<b>History</b>"), this), 1);
    buttons->addWidget(m_restore);
    buttons->addWidget(m_tag);

    m_diffTitle = new QLabel(this);
    m_diffTitle->setWordWrap(true);
    m_showUnchanged = new QCheckBox(tr("Show unchanged"), this);
    auto *diffHeader = new QHBoxLayout;
    diffHeader->addWidget(m_diffTitle, 1);
    diffHeader->addWidget(m_showUnchanged);
    m_diffView = new QTableView(this);
    m_diffView->setObjectName(QStringLiteral("versionDiff"));
    m_diffView->setModel(m_diff);
    m_diffView->setWordWrap(true);
    m_diffView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_diffView->verticalHeader()->hide();
    m_diffView->horizontalHeader()->setSectionResizeMode(RubricDiffModel::ChangeColumn,
                                                         QHeaderView::ResizeToContents);
    m_diffView->horizontalHeader()->setSectionResizeMode(RubricDiffModel::OldColumn,
                                                         QHeaderView::Stretch);
    m_diffView->horizontalHeader()->setSectionResizeMode(RubricDiffModel::NewColumn,
                                                         QHeaderView::Stretch);
    connect(m_diff, &QAbstractItemModel::modelReset, m_diffView,
            [this] { m_diffView->resizeRowsToContents(); });

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_history, 1);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addLayout(diffHeader);
    bottomLayout->addWidget(m_diffView, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_history->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &VersionHistoryPane::updateDiff);
    connect(m_showUnchanged, &QCheckBox::toggled, m_diff, &RubricDiffModel::setShowUnchanged);
    connect(m_restore, &QPushButton::clicked, this, [this] {
        const auto ids = selectedIds();
        if (ids.size() == 1)
            Q_EMIT restoreRequested(ids.first());
    });
    connect(m_tag, &QPushButton::clicked, this, &VersionHistoryPane::askTag);
    updateDiff();
}

void VersionHistoryPane::setProject(const QString &path) {
    m_path = path;
    setVersions({}, 0);
}

void VersionHistoryPane::setVersions(const QList<rubric::VersionInfo> &versions, qint64 headId) {
    const QList<qint64> keep = selectedIds();
    const QSignalBlocker block(m_history->selectionModel());
    m_versions->setVersions(versions, headId);
    selectVersions(keep);
    updateDiff();
}

void VersionHistoryPane::setPendingDiff(const rubric::RubricDiff &diff) {
    m_pending = diff;
    if (selectedIds().isEmpty())
        updateDiff();
}

void VersionHistoryPane::selectVersions(const QList<qint64> &ids) {
    QItemSelection sel;
    for (qint64 id : ids) {
        const int row = m_versions->rowOf(id);
        if (row >= 0)
            sel.select(m_versions->index(row, 0),
                       m_versions->index(row, VersionListModel::ColumnCount - 1));
    }
    m_history->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect);
}

QList<qint64> VersionHistoryPane::selectedIds() const {
    QList<qint64> ids;
    for (const QModelIndex &i : m_history->selectionModel()->selectedRows())
        ids << i.data(VersionIdRole).toLongLong();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void VersionHistoryPane::updateDiff() {
    const QList<qint64> ids = selectedIds();
    m_restore->setEnabled(ids.size() == 1);
    m_tag->setEnabled(ids.size() == 1);
    const quint64 generation = ++m_generation;
    if (ids.isEmpty() || ids.size() > 2) {
        if (ids.size() > 2) {
            m_diffTitle->setText(tr("Select one or two versions to compare."));
            m_diff->clear();
            return;
        }
        m_diffTitle->setText(m_pending.entries.isEmpty()
                                 ? tr("<b>Draft</b>: no criteria.")
                                 : tr("<b>Unsaved draft</b> against the current version: %1")
                                       .arg(m_pending.summary()));
        m_diff->setDiff(m_pending, tr("Current version"), tr("Draft"));
        return;
    }
    qint64 from = 0, to = ids.last();
    if (ids.size() == 2)
        from = ids.first();
    else
        for (const auto &v : m_versions->versions())
            if (v.id == to)
                from = v.parentId;
    const QString fromLabel = from ? tr("v%1").arg(m_versions->numberOf(from)) : tr("(nothing)");
    const QString toLabel = tr("v%1").arg(m_versions->numberOf(to));
    if (m_path.isEmpty())
        return;
    runDbQuery<rubric::RubricDiff>(
        this, m_path,
        [from, to](store::Database &db) -> Expected<rubric::RubricDiff> {
            if (!from) {
                auto v = rubric::loadVersion(db, to);
                if (!v)
                    return v.error();
                return rubric::diffCriteria({}, v->criteria);
            }
            return rubric::diffVersions(db, from, to);
        },
        [this, generation, fromLabel, toLabel](Expected<rubric::RubricDiff> diff) {
            if (generation != m_generation)
                return; // the selection moved on
            if (!diff) {
                m_diffTitle->setText(diff.error().toString().toHtmlEscaped());
                m_diff->clear();
            } else {
                m_diffTitle->setText(
                    tr("<b>%1 → %2</b>: %3").arg(fromLabel, toLabel, diff->summary()));
                m_diff->setDiff(diff.value(), fromLabel, toLabel);
            }
            Q_EMIT diffShown();
        });
}

void VersionHistoryPane::askTag() {
    const auto ids = selectedIds();
    if (ids.size() != 1)
        return;
    const QModelIndex row = m_versions->index(m_versions->rowOf(ids.first()), 0);
    bool ok = false;
    const QString tag =
        QInputDialog::getText(this, tr("Tag version"), tr("Tag (empty to clear):"),
                              QLineEdit::Normal, row.data(VersionTagRole).toString(), &ok);
    if (ok)
        Q_EMIT tagRequested(ids.first(), tag);
}

} // namespace rs::ui
