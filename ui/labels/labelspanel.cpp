#include "labels/labelspanel.h"

#include "analytics/clusterbootstrap.h"
#include "common/asynctask.h"
#include "labels/corrections.h"
#include "labels/labelqueuemodel.h"
#include "labels/labelsampler.h"
#include "labels/labelstore.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

#include <array>

namespace rs::ui {
namespace {

const QString kAnnotatorKey = QStringLiteral("labels/annotator");

QString defaultAnnotator() {
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return user.isEmpty() ? QStringLiteral("annotator") : user;
}

QTextBrowser *reader(const QString &placeholder, QWidget *parent) {
    auto *t = new QTextBrowser(parent);
    t->setOpenLinks(false);
    t->setPlaceholderText(placeholder);
    return t;
}

} // namespace

LabelsPanel::LabelsPanel(QWidget *parent) : QWidget(parent), m_model(new LabelQueueModel(this)) {
    m_writes.setMaxThreadCount(1);
    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("labelsToolbar"));
    bar->addWidget(new QLabel(tr("Annotator "), bar));
    m_annotator = new QLineEdit(QSettings().value(kAnnotatorKey, defaultAnnotator()).toString(), bar);
    m_annotator->setObjectName(QStringLiteral("labelsAnnotator"));
    m_annotator->setMaximumWidth(160);
    m_annotator->setToolTip(tr("Whose labels these are; several annotators give agreement"));
    bar->addWidget(m_annotator);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Sample "), bar));
    m_size = new QSpinBox(bar);
    m_size->setRange(1, 5000);
    m_size->setValue(60);
    m_size->setToolTip(tr("Cells in a new sample (calibration needs at least 50 labels)"));
    bar->addWidget(m_size);
    bar->addWidget(new QLabel(tr(" seed "), bar));
    m_seed = new QSpinBox(bar);
    m_seed->setRange(0, 1000000);
    m_seed->setValue(1);
    bar->addWidget(m_seed);
    m_sample = new QPushButton(tr("New Sample"), bar);
    m_sample->setToolTip(tr("Replace the queue with a stratified random sample of judged cells "
                            "(judge verdict × tier); labels already given are kept"));
    bar->addWidget(m_sample);
    m_attach = new QPushButton(tr("Corrections → Examples"), bar);
    m_attach->setObjectName(QStringLiteral("labelsAttach"));
    m_attach->setToolTip(tr("Attach up to two cells per criterion where the labels overrule the "
                            "judge as examples in the judge prompt (half of them held out). "
                            "The next judge run is a new run; compare kappa on the held-out "
                            "labels with `labels compare`."));
    connect(m_attach, &QPushButton::clicked, this, &LabelsPanel::attachCorrections);
    bar->addWidget(m_attach);
    bar->addSeparator();
    m_progress = new QProgressBar(bar);
    m_progress->setMaximumWidth(220);
    m_progress->setFormat(tr("%v / %m labelled"));
    bar->addWidget(m_progress);
    // Under the toolbar, not in it: a long message would push the toolbar into overflow.
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("labelsStatus"));
    m_status->setContentsMargins(4, 0, 0, 0);
    m_status->setWordWrap(true);

    m_queue = new QTableView(this);
    m_queue->setObjectName(QStringLiteral("labelsQueue"));
    m_queue->setModel(m_model);
    m_queue->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_queue->setSelectionMode(QAbstractItemView::SingleSelection);
    m_queue->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_queue->verticalHeader()->hide();
    m_queue->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_queue->horizontalHeader()->setSectionResizeMode(LabelQueueModel::Criterion, QHeaderView::Stretch);
    m_queue->setWordWrap(false);

    m_criterion = new QLabel(this);
    m_criterion->setObjectName(QStringLiteral("labelsCriterion"));
    m_criterion->setWordWrap(true);
    QFont big = m_criterion->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_criterion->setFont(big);
    m_prompt = reader(tr("The prompt"), this);
    m_response = reader(tr("The response to judge against the criterion"), this);
    m_reveal = new QLabel(this);
    m_reveal->setObjectName(QStringLiteral("labelsReveal"));
    m_agreement = new QLabel(this);
    m_agreement->setObjectName(QStringLiteral("labelsAgreement"));
    m_agreement->setWordWrap(true);

    auto *buttons = new QHBoxLayout;
    const std::array<std::pair<QString, labels::LabelValue>, 3> answers{
        {{tr("&Yes — met (Y)"), labels::LabelValue::Yes},
         {tr("&No — not met (N)"), labels::LabelValue::No},
         {tr("&Skip (S)"), labels::LabelValue::Skip}}};
    for (const auto &[text, value] : answers) {
        auto *b = new QPushButton(text, this);
        connect(b, &QPushButton::clicked, this, [this, v = value] { answer(v); });
        buttons->addWidget(b);
        m_answerButtons.append(b);
    }
    auto *backButton = new QPushButton(tr("Back (⌫)"), this);
    connect(backButton, &QPushButton::clicked, this, &LabelsPanel::back);
    buttons->addWidget(backButton);
    buttons->addStretch(1);
    buttons->addWidget(m_reveal);

    auto *card = new QWidget(this);
    auto *cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(0, 0, 0, 0);
    cardLayout->addWidget(new QLabel(tr("Criterion"), card));
    cardLayout->addWidget(m_criterion);
    auto *texts = new QSplitter(Qt::Vertical, card);
    texts->addWidget(m_prompt);
    texts->addWidget(m_response);
    texts->setSizes({120, 360});
    cardLayout->addWidget(texts, 1);
    cardLayout->addLayout(buttons);
    cardLayout->addWidget(m_agreement);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_queue);
    split->addWidget(card);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({380, 620});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(bar);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    // Keys work anywhere in the tab except while typing the annotator's name.
    const auto key = [this](QKeySequence seq, auto slot) {
        new QShortcut(seq, this, slot, Qt::WidgetWithChildrenShortcut);
    };
    key(QKeySequence(Qt::Key_Y), [this] { answer(labels::LabelValue::Yes); });
    key(QKeySequence(Qt::Key_N), [this] { answer(labels::LabelValue::No); });
    key(QKeySequence(Qt::Key_S), [this] { answer(labels::LabelValue::Skip); });
    key(QKeySequence(Qt::Key_Backspace), [this] { back(); });

    connect(m_sample, &QPushButton::clicked, this,
            [this] { newSample(m_size->value(), quint64(m_seed->value())); });
    connect(m_annotator, &QLineEdit::editingFinished, this, [this] {
        if (annotator() == m_shownAnnotator)
            return; // focus left the field, the name is the same
        QSettings().setValue(kAnnotatorKey, annotator());
        m_history.clear();
        reload();
    });
    connect(m_queue, &QTableView::activated, this, [this](const QModelIndex &i) { showRow(i.row()); });
    setProject(nullptr, {});
}

QString LabelsPanel::annotator() const {
    const QString name = m_annotator->text().trimmed();
    return name.isEmpty() ? defaultAnnotator() : name;
}

void LabelsPanel::setProject(store::ProjectStore *store, const QString &path) {
    m_store = store;
    m_path = path;
    m_history.clear();
    m_sample->setEnabled(store != nullptr);
    m_attach->setEnabled(store != nullptr);
    reload();
}

void LabelsPanel::setBusy(bool busy, const QString &text) {
    m_sample->setEnabled(!busy && m_store);
    m_attach->setEnabled(!busy && m_store);
    m_status->setText(text);
}

void LabelsPanel::reload() {
    const quint64 generation = ++m_generation;
    if (m_path.isEmpty()) {
        m_model->setItems({});
        showRow(-1);
        return;
    }
    setBusy(true, tr("Reading the queue…"));
    const QString who = annotator();
    runDbQuery<std::vector<labels::QueueItem>>(
        this, m_path, [who](store::Database &db) { return labels::readQueue(db, who); },
        [this, generation, who](Expected<std::vector<labels::QueueItem>> result) {
            if (generation != m_generation)
                return;
            if (m_pendingWrites > 0) {
                m_reloadAfterWrites = true;
                return;
            }
            m_shownAnnotator = who;
            setBusy(false, result ? QString() : result.error().toString());
            m_model->setItems(result ? std::move(result.value()) : std::vector<labels::QueueItem>{});
            showRow(m_model->nextOpen(0));
            Q_EMIT loaded();
        });
}

void LabelsPanel::newSample(int n, quint64 seed) {
    if (!m_store)
        return;
    setBusy(true, tr("Sampling %n cells…", nullptr, n));
    const quint64 generation = ++m_generation;
    store::ProjectStore *store = m_store;
    runAsync(
        this, queryPool(),
        [path = m_path, store, n, seed]() -> Expected<void> {
            auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
            if (!db)
                return db.error();
            labels::SampleOptions o;
            o.n = n;
            o.seed = seed;
            auto cells = labels::sampleCells(db.value(), o);
            if (!cells)
                return cells.error();
            return labels::replaceQueue(*store, cells.value());
        },
        [this, generation](Expected<void> result) {
            if (generation != m_generation)
                return;
            m_history.clear();
            if (!result) {
                setBusy(false, result.error().toString());
                return;
            }
            reload();
        });
}

void LabelsPanel::attachCorrections() {
    if (!m_store)
        return;
    setBusy(true, tr("Attaching corrections…"));
    store::ProjectStore *store = m_store;
    runAsync(
        this, &m_writes,
        [path = m_path, store]() -> Expected<labels::AttachResult> {
            auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
            if (!db)
                return db.error();
            return labels::attachCorrections(*store, db.value(), labels::AttachOptions{});
        },
        [this](Expected<labels::AttachResult> r) {
            setBusy(false, r ? tr("%n example(s) attached; %1 labels held out. Judge again to "
                                  "use them (a new run).",
                                  nullptr, r->attached)
                                   .arg(r->heldOut)
                             : r.error().toString());
            Q_EMIT labelStored();
        });
}

void LabelsPanel::showRow(int row) {
    m_row = row;
    const int total = m_model->rowCount();
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(m_model->labelledCount());
    for (QPushButton *b : std::as_const(m_answerButtons))
        b->setEnabled(row >= 0);
    if (row < 0) {
        m_criterion->setText(total ? tr("Every cell of the sample is labelled. Thank you!")
                                   : tr("No sample yet: choose a size and press New Sample."));
        m_prompt->clear();
        m_response->clear();
    } else {
        const labels::QueueItem &item = m_model->items()[std::size_t(row)];
        m_criterion->setText(item.cell.criterion);
        m_prompt->setPlainText(item.cell.prompt);
        m_response->setPlainText(item.cell.response);
        m_queue->selectRow(row);
    }
    updateSummary();
}

void LabelsPanel::answer(labels::LabelValue value) {
    if (m_row < 0 || !m_store)
        return;
    const int row = m_row;
    const labels::QueueItem &item = m_model->items()[std::size_t(row)];
    const labels::HumanLabel label{item.cell.responseId, item.cell.stableId, item.cell.criterion,
                                   annotator(), value, {}};
    // Shown at once; stored by the project's writer off this thread.
    m_model->setLabel(row, value);
    m_history.push_back(row);
    if (value != labels::LabelValue::Skip && item.judge)
        m_reveal->setText(*item.judge == (value == labels::LabelValue::Yes)
                              ? tr("The judge said %1 too.").arg(*item.judge ? tr("yes") : tr("no"))
                              : tr("The judge said %1.").arg(*item.judge ? tr("yes") : tr("no")));
    else
        m_reveal->clear();
    store::ProjectStore *store = m_store;
    ++m_pendingWrites;
    runAsync(this, &m_writes, [store, label] { return labels::writeLabel(*store, label); },
             [this](Expected<void> r) { written(r); });
    showRow(m_model->nextOpen(row + 1));
}

void LabelsPanel::back() {
    if (m_history.empty() || !m_store)
        return;
    const int row = m_history.back();
    m_history.pop_back();
    const labels::QueueItem &item = m_model->items()[std::size_t(row)];
    const labels::HumanLabel label{item.cell.responseId, item.cell.stableId, item.cell.criterion,
                                   annotator(), labels::LabelValue::Skip, {}};
    m_model->setLabel(row, std::nullopt);
    m_reveal->clear();
    store::ProjectStore *store = m_store;
    ++m_pendingWrites;
    runAsync(this, &m_writes, [store, label] { return labels::removeLabel(*store, label); },
             [this](Expected<void> r) { written(r); });
    showRow(row);
}

void LabelsPanel::written(const Expected<void> &result) {
    --m_pendingWrites;
    if (!result) {
        // The view showed the answer already; reading the queue again shows what is stored.
        m_status->setText(result.error().toString());
        m_reloadAfterWrites = true;
    }
    if (m_pendingWrites == 0 && m_reloadAfterWrites) {
        m_reloadAfterWrites = false;
        reload();
    }
    Q_EMIT labelStored();
}

void LabelsPanel::updateSummary() {
    // This annotator against the judge, on the queue: a quick look while labelling. The
    // Analysis tab has the full picture (all annotators, intervals, per criterion).
    std::array<double, 4> table{};
    int n = 0;
    for (const labels::QueueItem &i : m_model->items()) {
        if (!i.label || *i.label == labels::LabelValue::Skip || !i.judge)
            continue;
        const bool human = *i.label == labels::LabelValue::Yes;
        table[*i.judge ? (human ? 0 : 1) : (human ? 2 : 3)] += 1;
        ++n;
    }
    const auto kappa = analytics::kappaOfTable(table);
    m_agreement->setText(
        n == 0 ? tr("Agreement with the judge appears here as you label.")
               : tr("You and the judge: %1 of %2 labels agree, kappa %3. Calibration needs at "
                    "least 50 labels; see Analysis → Judge reliability for intervals.")
                     .arg(int(table[0] + table[3]))
                     .arg(n)
                     .arg(kappa ? QString::number(*kappa, 'f', 2) : tr("undefined")));
}

} // namespace rs::ui
