#include "rubric/rubricpanel.h"

#include "common/asynctask.h"
#include "common/theme.h"
#include "rubric/aggregationpane.h"
#include "common/uilogging.h"
#include "common/uitext.h"
#include "project/projectedits.h"
#include "rubric/categorydelegate.h"
#include "rubric/criteriaeditmodel.h"
#include "rubric/deadcriteriapane.h"
#include "rubric/rubricdiff.h"
#include "rubric/rubricdraft.h"
#include "rubric/rubrictablemodel.h"
#include "rubric/versionhistorypane.h"
#include "rubric/versionlistmodel.h"

#include <QAction>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

#include <memory>

namespace rs::ui {
namespace {

QList<CriterionRecord> asRecords(const QList<rubric::CriterionDraft> &drafts)
{
    QList<CriterionRecord> out;
    for (const auto &d : drafts)
        out.push_back(CriterionRecord{0, d.stableId, d.text, d.weight, d.category, d.tags,
                                      d.checkJson, d.veto});
    return out;
}

} // namespace

RubricPanel::RubricPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new RubricTableModel(this))
    , m_editModel(new CriteriaEditModel(this))
{
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setContentsMargins(4, 4, 4, 4);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    buildActions(bar);
    m_draftState = new QLabel(this);
    m_draftState->setContentsMargins(8, 0, 4, 0);
    bar->addWidget(m_draftState);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("criteriaEditor"));
    m_table->setModel(m_editModel);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                             | QAbstractItemView::AnyKeyPressed);
    m_table->setWordWrap(true); // criteria are sentences; clipping them hides what is judged
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->setItemDelegateForColumn(CriteriaEditModel::CategoryColumn, new CategoryDelegate(m_table));
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    for (int c : {int(CriteriaEditModel::IdColumn), int(CriteriaEditModel::WeightColumn)})
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    // The criterion takes what the narrow attribute columns leave; never less than ~30 em.
    header->setSectionResizeMode(CriteriaEditModel::CriterionColumn, QHeaderView::Stretch);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    header->setMinimumSectionSize(em * 2);
    header->resizeSection(CriteriaEditModel::CategoryColumn, em * 8);
    header->resizeSection(CriteriaEditModel::TagsColumn, em * 5);
    header->resizeSection(CriteriaEditModel::CheckColumn, em * 9);
    header->resizeSection(CriteriaEditModel::VetoColumn, em * 4);
    header->resizeSection(CriteriaEditModel::LintColumn, em * 9);
    header->resizeSection(CriteriaEditModel::YesRateColumn, em * 11);
    header->resizeSection(CriteriaEditModel::DeadColumn, em * 6);
    header->resizeSection(CriteriaEditModel::GoldColumn, em * 6);
    // Narrow enough that the tab fits between the docks of the default layout: a wider page
    // makes the main window shrink the docks (for every tab) and they never grow back.
    m_table->setMinimumWidth(em * 46);
    // Wrapped rows need their height recomputed when the criterion column changes width.
    connect(header, &QHeaderView::sectionResized, m_table, [this] { m_table->resizeRowsToContents(); });
    connect(m_editModel, &QAbstractItemModel::modelReset, m_table, [this] { m_table->resizeRowsToContents(); });
    connect(m_editModel, &QAbstractItemModel::dataChanged, m_table, [this] { m_table->resizeRowsToContents(); });

    m_history = new VersionHistoryPane(this);
    m_aggregation = new AggregationPane(this);
    m_dead = new DeadCriteriaPane(this);
    // History, the aggregation preview and the dead criteria share the side: all are about the
    // rubric as a whole, and none needs to be seen while another is used.
    m_side = new QTabWidget(this);
    m_side->setObjectName(QStringLiteral("rubricSideTabs"));
    m_side->setDocumentMode(true);
    m_side->addTab(m_history, tr("History"));
    m_side->addTab(m_aggregation, tr("Aggregation"));
    m_side->addTab(m_dead, tr("Dead criteria"));
    m_side->setTabToolTip(1, tr("What each way of adding up the verdicts does to AUC, ties at the "
                                "top, tail accuracy and GRPO advantages"));
    m_side->setTabToolTip(2, tr("The project's criteria that all of their prompt's top responses "
                                "pass, or all fail: prune or rewrite them"));
    connect(m_dead, &DeadCriteriaPane::promptActivated, this, &RubricPanel::promptActivated);
    connect(m_dead, &DeadCriteriaPane::rewriteRequested, this, &RubricPanel::pruneRewriteRequested);
    connect(m_dead, &DeadCriteriaPane::rubricsChanged, this, &RubricPanel::rubricsChanged);
    connect(m_dead, &DeadCriteriaPane::message, this, &RubricPanel::message);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(m_side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({3000, 2000}); // initial 3:2, before the user drags it

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_summary);
    layout->addWidget(bar);
    layout->addWidget(split, 1);

    connect(m_model, &RubricTableModel::loaded, this, &RubricPanel::onLoaded);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RubricPanel::updateState);
    connect(m_history, &VersionHistoryPane::restoreRequested, this, [this](qint64 versionId) {
        submit(tr("Restore v%1").arg(m_history->versionModel()->numberOf(versionId)),
               [versionId](store::ProjectStore &store) -> Expected<void> {
                   auto v = rubric::restoreVersion(store, versionId);
                   return v ? Expected<void>() : Expected<void>(v.error());
               });
    });
    connect(m_history, &VersionHistoryPane::tagRequested, this, [this](qint64 versionId, const QString &tag) {
        submit(tr("Tag v%1").arg(m_history->versionModel()->numberOf(versionId)),
               [versionId, tag](store::ProjectStore &store) { return rubric::setVersionTag(store, versionId, tag); });
    });
    connect(m_aggregation, &AggregationPane::message, this, &RubricPanel::message);
    onLoaded(0);
}

void RubricPanel::buildActions(QToolBar *bar)
{
    auto make = [this, bar](const QString &text, const QString &tip, const QKeySequence &key, auto slot) {
        auto *a = new QAction(text, this);
        a->setToolTip(tip);
        if (!key.isEmpty()) {
            a->setShortcut(key);
            a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        }
        connect(a, &QAction::triggered, this, slot);
        bar->addAction(a);
        addAction(a);
        return a;
    };
    m_add = make(tr("Add"), tr("Add a criterion below the selected one"), QKeySequence(Qt::CTRL | Qt::Key_Return),
                 [this] {
                     if (!m_current)
                         return;
                     const int row = m_current->addCriterion(currentRow() < 0 ? -1 : currentRow() + 1);
                     selectRow(row);
                     m_table->edit(m_editModel->index(row, CriteriaEditModel::CriterionColumn));
                 });
    m_duplicate = make(tr("Duplicate"), tr("Copy the selected criterion (the copy gets a new id)"), {}, [this] {
        const int row = currentRow();
        m_current->duplicateCriterion(row);
        selectRow(row + 1);
    });
    m_delete = make(tr("Delete"), tr("Delete the selected criterion"), QKeySequence::Delete, [this] {
        const int row = currentRow();
        m_current->removeCriterion(row);
        selectRow(std::min(row, int(m_current->criteria().size()) - 1));
    });
    m_up = make(tr("Up"), tr("Move the selected criterion up"), QKeySequence(Qt::ALT | Qt::Key_Up), [this] {
        const int row = currentRow();
        m_current->moveCriterion(row, -1);
        selectRow(row - 1);
    });
    m_down = make(tr("Down"), tr("Move the selected criterion down"), QKeySequence(Qt::ALT | Qt::Key_Down), [this] {
        const int row = currentRow();
        m_current->moveCriterion(row, +1);
        selectRow(row + 1);
    });
    m_split = make(tr("Split…"), tr("Split the selected criterion into several, one check each"), {},
                   &RubricPanel::splitCurrent);
    bar->addSeparator();
    m_accept = make(tr("Accept"), tr("Save the draft as a new version of the rubric"),
                    QKeySequence(Qt::CTRL | Qt::Key_S), &RubricPanel::accept);
    m_discard = make(tr("Discard"), tr("Drop the draft's edits and go back to the current version"), {},
                     &RubricPanel::discard);
}

void RubricPanel::setProject(const QString &path)
{
    m_path = path;
    m_editModel->setDraft(nullptr);
    m_current = nullptr;
    qDeleteAll(m_drafts);
    m_drafts.clear();
    m_history->setProject(path);
    m_aggregation->setProject(path);
    m_dead->setProject(path);
    Q_EMIT undoStackChanged(nullptr);
    m_model->setProject(path);
}

void RubricPanel::setPrompt(qint64 promptId)
{
    m_model->setPrompt(promptId);
}

void RubricPanel::reload()
{
    m_model->reload();
    m_aggregation->refresh(); // a finished run or an import changes the rewards it compares
    m_dead->reload(); // verdicts or rubrics changed somewhere in the project
}

void RubricPanel::setEdits(ProjectEdits *edits)
{
    m_edits = edits;
    m_aggregation->setEdits(edits);
    m_dead->setEdits(edits);
    if (!edits)
        return;
    connect(edits, &ProjectEdits::written, this, [this](qint64 promptId) {
        if (promptId == 0 || promptId == m_model->promptId())
            m_model->reload();
    });
}

RubricDraft *RubricPanel::draft() const
{
    return m_current;
}

QUndoStack *RubricPanel::undoStack() const
{
    return m_current ? m_current->undoStack() : nullptr;
}

QString RubricPanel::summaryText(const RubricTableModel &model)
{
    if (model.loadedPromptId() == 0)
        return tr("Select a prompt to see its rubric.");
    if (!model.hasRubric())
        return tr("Prompt #%1 has no rubric yet. Import one with <i>File ▸ Import…</i> "
                  "(paper, HealthBench or RaR format), or add criteria below and accept them.")
            .arg(model.loadedPromptId());
    const RubricRecord &r = model.rubric();
    QStringList parts;
    parts << tr("<b>Rubric of prompt #%1</b>").arg(model.loadedPromptId());
    if (model.usesPoints()) {
        parts << tr("points scoring: score = points of met criteria (penalties subtract) / "
                    "%1 possible points, clipped to 0–1")
                     .arg(weightText(model.maxScore()));
    } else {
        parts << tr("weights scoring: score = weight of met criteria / total weight %1")
                     .arg(weightText(model.maxScore()));
    }
    parts << countText(r.criteria.size(), tr("criterion"), tr("criteria"));
    if (const int penalties = model.penaltyCount())
        parts << QStringLiteral("<span style=\"color:%2\">%1</span>")
                     .arg(countText(penalties, tr("penalty"), tr("penalties")), Theme::errorColour().name());
    QString versions = countText(r.versionCount, tr("version"), tr("versions"));
    if (!r.origin.isEmpty())
        versions += tr(", current one from %1").arg(r.origin.toHtmlEscaped());
    parts << versions;
    return parts.join(QStringLiteral(" · "));
}

void RubricPanel::onLoaded(qint64 promptId)
{
    m_summary->setText(summaryText(*m_model));
    m_headCriteria = m_model->hasRubric() ? m_model->rubric().criteria : QList<CriterionRecord>();
    RubricDraft *previous = m_current;
    if (promptId == 0) {
        m_current = nullptr;
    } else {
        RubricDraft *&d = m_drafts[promptId];
        if (!d) {
            d = new RubricDraft(promptId, this);
            connect(d, &RubricDraft::changed, this, [this] {
                updatePendingDiff();
                updateState();
            });
            connect(d, &RubricDraft::dirtyChanged, this, &RubricPanel::updateState);
        }
        // A draft with edits is the user's work: it stays, even if the stored rubric moved on.
        if (!d->isDirty()) {
            if (m_model->hasRubric())
                d->reset(m_model->rubric().versionId, m_model->rubric().scoring,
                         rubric::toDrafts(m_model->rubric().criteria));
            else
                d->reset(0, QStringLiteral("weights"), {});
        }
        m_current = d;
    }
    if (m_current != previous || m_editModel->draft() != m_current) {
        m_editModel->setDraft(m_current);
        Q_EMIT undoStackChanged(undoStack());
    }
    updatePendingDiff();
    updateState();
    loadHistory();
    m_aggregation->setRubric(promptId, m_model->hasRubric() ? m_model->rubric() : RubricRecord{});
    Q_EMIT rubricLoaded(promptId);
}

void RubricPanel::loadHistory()
{
    const qint64 promptId = m_model->loadedPromptId();
    const quint64 generation = ++m_historyGeneration;
    if (m_path.isEmpty() || promptId == 0) {
        m_history->setVersions({}, 0);
        m_editModel->setStats({});
        return;
    }
    runDbQuery<Side>(
        this, m_path,
        [promptId](store::Database &db) -> Expected<Side> {
            Side side;
            auto versions = rubric::listVersions(db, promptId);
            if (!versions)
                return versions.error();
            side.versions = std::move(versions.value());
            auto stats = rubric::criterionStats(db, promptId);
            if (!stats)
                return stats.error();
            side.stats = std::move(stats.value());
            return side;
        },
        [this, promptId, generation](Expected<Side> side) {
            if (generation != m_historyGeneration)
                return;
            if (!side) {
                qCWarning(lcUi) << "rubric history query failed:" << side.error().toString();
                Q_EMIT message(tr("Rubric history: %1").arg(side.error().toString()));
                return;
            }
            m_history->setVersions(side->versions, m_model->hasRubric() ? m_model->rubric().versionId : 0);
            m_editModel->setStats(side->stats);
            Q_EMIT historyLoaded(promptId);
        });
}

void RubricPanel::updatePendingDiff()
{
    if (m_current)
        m_history->setPendingDiff(rubric::diffCriteria(m_headCriteria, asRecords(m_current->criteria())));
    else
        m_history->setPendingDiff({});
}

int RubricPanel::currentRow() const
{
    const QModelIndex i = m_table->selectionModel()->currentIndex();
    return i.isValid() ? i.row() : -1;
}

void RubricPanel::selectRow(int row)
{
    if (row < 0 || row >= m_editModel->rowCount())
        return;
    m_table->selectionModel()->setCurrentIndex(m_editModel->index(row, CriteriaEditModel::CriterionColumn),
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RubricPanel::updateState()
{
    const int row = currentRow();
    const int rows = m_editModel->rowCount();
    const bool has = m_current != nullptr;
    m_add->setEnabled(has);
    for (QAction *a : {m_duplicate, m_delete, m_split})
        a->setEnabled(has && row >= 0);
    m_up->setEnabled(has && row > 0);
    m_down->setEnabled(has && row >= 0 && row + 1 < rows);
    const bool dirty = has && m_current->isDirty();
    m_aggregation->setDraftDirty(dirty);
    m_accept->setEnabled(dirty && !m_saving && m_edits);
    m_discard->setEnabled(dirty && !m_saving);
    if (!has)
        m_draftState->clear();
    else if (m_saving)
        m_draftState->setText(tr("Saving…"));
    else if (dirty)
        m_draftState->setText(tr("Draft: %1 unsaved").arg(countText(m_current->undoStack()->index(), tr("edit"), tr("edits"))));
    else
        m_draftState->setText(tr("No unsaved edits"));
}

void RubricPanel::splitCurrent()
{
    const int row = currentRow();
    if (!m_current || row < 0)
        return;
    const QString text = m_current->criteria()[row].text;
    bool ok = false;
    const QString parts = QInputDialog::getMultiLineText(
        this, tr("Split criterion"), tr("One criterion per line:"),
        RubricDraft::suggestSplit(text).join(QLatin1Char('\n')), &ok);
    if (ok)
        m_current->splitCriterion(row, parts.split(QLatin1Char('\n'), Qt::SkipEmptyParts));
}

void RubricPanel::submit(const QString &what, std::function<Expected<void>(store::ProjectStore &)> write)
{
    if (!m_edits) {
        Q_EMIT message(tr("%1: no project is open").arg(what));
        return;
    }
    m_edits->submit(what, m_model->promptId(), std::move(write));
}

void RubricPanel::accept()
{
    if (!m_current || !m_current->isDirty() || m_saving || !m_edits)
        return;
    RubricDraft *draft = m_current;
    const qint64 promptId = draft->promptId();
    const qint64 parent = draft->baseVersionId();
    const QList<rubric::CriterionDraft> criteria = draft->criteria();
    const int edits = draft->undoStack()->index();
    const int indexAtAccept = draft->undoStack()->index();
    auto saved = std::make_shared<qint64>(0);
    m_saving = true;
    updateState();
    // The write reports back through ProjectEdits::written/failed; `saved` tells us whether
    // it was this one that finished.
    QMetaObject::Connection *done = new QMetaObject::Connection;
    QMetaObject::Connection *failed = new QMetaObject::Connection;
    auto finish = [this, done, failed] {
        disconnect(*done);
        disconnect(*failed);
        delete done;
        delete failed;
        m_saving = false;
        updateState();
    };
    *done = connect(m_edits, &ProjectEdits::written, this,
                    [this, saved, draft, indexAtAccept, finish] {
                        if (!*saved)
                            return;
                        const qint64 id = *saved;
                        // Edits made while saving stay a draft on top of the new version.
                        if (m_drafts.values().contains(draft) && draft->undoStack()->index() == indexAtAccept)
                            draft->undoStack()->clear();
                        finish();
                        Q_EMIT message(tr("Saved a new rubric version"));
                        Q_EMIT versionSaved(id);
                    });
    *failed = connect(m_edits, &ProjectEdits::failed, this, [finish](const QString &) { finish(); });
    submit(tr("Save rubric version"),
           [promptId, parent, criteria, edits, saved](store::ProjectStore &store) -> Expected<void> {
               const rubric::VersionOrigin origin{QStringLiteral("manual"),
                                                  QJsonObject{{QStringLiteral("edits"), edits}}};
               auto v = rubric::saveVersion(store, promptId, origin, criteria, parent);
               if (!v)
                   return v.error();
               *saved = v.value();
               return {};
           });
}

void RubricPanel::discard()
{
    if (!m_current || !m_current->isDirty() || m_saving)
        return;
    m_current->undoStack()->clear();
    m_model->reload(); // a clean draft is reset to the stored version
}

} // namespace rs::ui
