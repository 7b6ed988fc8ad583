#include "rtd/authoringdialog.h"

#include "common/asynctask.h"
#include "jobs/joblistmodel.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "project/projectsession.h"
#include "providers/providerlistmodel.h"
#include "store/projectstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QVBoxLayout>

namespace rs::ui {

AuthoringDialog::AuthoringDialog(Mode mode, ProjectSession &session, ProviderListModel &providers,
                                 qint64 currentPromptId, QWidget *parent)
    : QDialog(parent), m_mode(mode), m_session(session), m_providers(providers), m_promptId(currentPromptId)
{
    setWindowTitle(mode == Mode::Generate       ? tr("Generate Rubrics")
                   : mode == Mode::PruneRewrite ? tr("Rewrite Dead Criteria")
                                                : tr("Collect Responses"));
    auto *form = new QFormLayout;
    m_provider = new QComboBox(this);
    for (const auto &p : providers.providers())
        m_provider->addItem(QStringLiteral("%1 · %2").arg(p.name, p.model), p.name);
    form->addRow(mode == Mode::Collect ? tr("Endpoint:") : tr("Proposer:"), m_provider);
    m_scope = new QComboBox(this);
    m_scope->addItem(tr("Current prompt"));
    m_scope->addItem(tr("All prompts"));
    m_scope->setCurrentIndex(currentPromptId > 0 ? 0 : 1);
    if (mode == Mode::PruneRewrite) {
        // The prompts are those of the selected criteria.
        m_scope->hide();
        m_selection = new QLabel(this);
        m_selection->setWordWrap(true);
        form->addRow(tr("Criteria:"), m_selection);
    } else {
        form->addRow(tr("Prompts:"), m_scope);
    }
    if (mode == Mode::Generate) {
        m_references = new QSpinBox(this);
        m_references->setRange(0, 8);
        m_references->setToolTip(tr("Responses shown to the proposer as reference answers"));
        form->addRow(tr("Reference responses:"), m_references);
        m_replace = new QCheckBox(tr("Also replace imported or hand-written rubrics"), this);
        form->addRow(QString(), m_replace);
        m_retryFailed = new QCheckBox(tr("Only retry prompts whose generation failed"), this);
        form->addRow(QString(), m_retryFailed);
    } else if (mode == Mode::Collect) {
        m_models = new QLineEdit(this);
        m_models->setPlaceholderText(tr("model names, comma-separated (empty: the provider's model)"));
        form->addRow(tr("Models:"), m_models);
        m_n = new QSpinBox(this);
        m_n->setRange(1, 64);
        m_n->setValue(4);
        form->addRow(tr("Samples per model:"), m_n);
        m_temperature = new QDoubleSpinBox(this);
        m_temperature->setRange(0, 2);
        m_temperature->setSingleStep(0.1);
        m_temperature->setValue(0.7);
        form->addRow(tr("Temperature:"), m_temperature);
        m_tier = new QLineEdit(QStringLiteral("great"), this);
        form->addRow(tr("Tier tag:"), m_tier);
        m_offPolicy = new QCheckBox(tr("Off-policy (not from the policy being trained)"), this);
        m_offPolicy->setChecked(true);
        form->addRow(QString(), m_offPolicy);
    }
    m_preview = new QLabel(tr("Estimating the cost…"), this);
    m_preview->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_start = m_buttons->addButton(tr("Start"), QDialogButtonBox::AcceptRole);
    m_start->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        Q_EMIT startRequested();
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_preview);
    layout->addWidget(m_buttons);

    m_delay.setSingleShot(true);
    m_delay.setInterval(300);
    connect(&m_delay, &QTimer::timeout, this, &AuthoringDialog::computePreview);
    const auto changed = [this] { refreshPreview(); };
    connect(m_provider, &QComboBox::currentIndexChanged, this, changed);
    connect(m_scope, &QComboBox::currentIndexChanged, this, changed);
    for (QSpinBox *s : {m_references, m_n})
        if (s)
            connect(s, &QSpinBox::valueChanged, this, changed);
    for (QCheckBox *c : {m_replace, m_retryFailed})
        if (c)
            connect(c, &QCheckBox::toggled, this, changed);
    if (m_models)
        connect(m_models, &QLineEdit::textChanged, this, changed);
    refreshPreview();
}

llm::ProviderConfig AuthoringDialog::provider() const
{
    const int row = m_providers.rowOf(m_provider->currentData().toString());
    return m_providers.provider(row);
}

QList<qint64> AuthoringDialog::scope() const
{
    if (m_scope->currentIndex() == 0 && m_promptId > 0)
        return {m_promptId};
    return {};
}

authoring::GenerationConfig AuthoringDialog::generationConfig() const
{
    authoring::GenerationConfig c;
    c.providers.proposer = provider();
    c.promptIds = scope();
    if (m_references)
        c.withReferences = m_references->value();
    c.replaceExisting = m_replace && m_replace->isChecked();
    c.retryFailedOnly = m_retryFailed && m_retryFailed->isChecked();
    return c;
}

authoring::CollectConfig AuthoringDialog::collectConfig() const
{
    authoring::CollectConfig c;
    const llm::ProviderConfig base = provider();
    const QStringList names = m_models ? m_models->text().split(QLatin1Char(','), Qt::SkipEmptyParts) : QStringList();
    if (names.isEmpty())
        c.models = {base};
    for (const QString &n : names) {
        llm::ProviderConfig p = base;
        p.model = n.trimmed();
        c.models.push_back(p);
    }
    c.promptIds = scope();
    c.n = m_n ? m_n->value() : 1;
    c.temperature = m_temperature ? m_temperature->value() : 0.7;
    c.tier = m_tier ? m_tier->text().trimmed() : QString();
    c.offPolicy = m_offPolicy && m_offPolicy->isChecked();
    return c;
}

void AuthoringDialog::setPruneRewrite(const authoring::PruneRewriteConfig &config) {
    m_prune = config;
    QSet<qint64> prompts;
    for (const rubric::DeadCriterion &d : config.criteria)
        prompts.insert(d.promptId);
    if (m_selection)
        m_selection->setText(tr("%1 dead criteria in %2 prompts (%3), rewritten so that they "
                                "separate the top responses")
                                 .arg(config.criteria.size())
                                 .arg(prompts.size())
                                 .arg(config.top.describe()));
    refreshPreview();
}

authoring::PruneRewriteConfig AuthoringDialog::pruneRewriteConfig() const {
    authoring::PruneRewriteConfig c = m_prune;
    c.providers.proposer = provider();
    return c;
}

llm::JobOptions AuthoringDialog::options() const
{
    llm::JobOptions o;
    o.kind = m_mode == Mode::Generate       ? QStringLiteral("generate")
             : m_mode == Mode::PruneRewrite ? QStringLiteral("prune")
                                            : QStringLiteral("collect");
    return o;
}

QString AuthoringDialog::jobName() const
{
    if (m_mode == Mode::PruneRewrite)
        return tr("Rewrite dead criteria · %1 · %2 criteria")
            .arg(provider().model)
            .arg(m_prune.criteria.size());
    const QString where = scope().isEmpty() ? tr("all prompts") : tr("prompt %1").arg(m_promptId);
    return m_mode == Mode::Generate ? tr("Generate · %1 · %2").arg(provider().model, where)
                                    : tr("Collect · %1").arg(where);
}

void AuthoringDialog::refreshPreview()
{
    m_start->setEnabled(false);
    m_delay.start();
}

void AuthoringDialog::computePreview()
{
    if (m_running) {
        m_dirty = true;
        return;
    }
    store::ProjectStore *store = m_session.store();
    if (!store || m_provider->count() == 0) {
        m_preview->setText(!store ? tr("No project is open.") : tr("Add a provider first (Judge > Providers…)."));
        return;
    }
    m_running = true;
    m_dirty = false;
    m_session.beginJob();
    ProjectSession *session = &m_session;
    QPointer<AuthoringDialog> self(this);
    const Mode mode = m_mode;
    const auto gen = generationConfig();
    const auto col = collectConfig();
    const auto prune = pruneRewriteConfig();
    runAsync(
        session, QThreadPool::globalInstance(),
        [store, mode, gen, col, prune]() -> Expected<llm::CostPreview> {
            auto prices = llm::ProviderRegistry::loadPrices();
            const llm::PriceTable table = prices ? prices.value() : llm::PriceTable();
            llm::LlmScheduler scheduler(table, store); // a preview sends nothing through it
            if (mode == Mode::Generate)
                return authoring::GenerationRunner(*store, scheduler).preview(gen, table, false);
            if (mode == Mode::PruneRewrite)
                return authoring::PruneRewriteRunner(*store, scheduler)
                    .preview(prune, table, false);
            return authoring::CollectRunner(*store, scheduler).preview(col, table, false);
        },
        [self, session](Expected<llm::CostPreview> pv) {
            session->endJob();
            if (!self)
                return;
            self->m_running = false;
            if (self->m_dirty) {
                self->computePreview();
                return;
            }
            if (!pv) {
                self->m_preview->setText(tr("No preview: %1").arg(pv.error().toString()));
                return;
            }
            const QLocale locale;
            self->m_preview->setText(
                tr("%1 calls (%2 answered from the cache), about %3 tokens in and %4 out, %5.")
                    .arg(locale.toString(pv->calls), locale.toString(pv->cached),
                         JobListModel::compactCount(pv->tokensIn), JobListModel::compactCount(pv->tokensOut),
                         JobListModel::costText(pv->costUsd, pv->priced)));
            self->m_start->setEnabled(pv->calls > 0);
            Q_EMIT self->previewShown(pv.value());
        });
}

} // namespace rs::ui
