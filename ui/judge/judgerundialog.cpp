#include "judge/judgerundialog.h"

#include "common/asynctask.h"
#include "common/roles.h"
#include "common/theme.h"
#include "common/uitext.h"
#include "judge/costpreviewer.h"
#include "judge/judgesettings.h"
#include "judge/judgetemplate.h"
#include "judge/responsescopebox.h"
#include "project/projectsession.h"
#include "providers/providerlistmodel.h"
#include "store/database.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

QPlainTextEdit *templateEdit(QWidget *parent) {
    auto *edit = new QPlainTextEdit(parent);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    edit->setTabChangesFocus(true);
    return edit;
}

} // namespace

JudgeRunDialog::JudgeRunDialog(ProjectSession &session, ProviderListModel *providers,
                               QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_providers(providers)
    , m_previewer(new CostPreviewer(session, this)) {
    setWindowTitle(tr("Run Judge"));

    auto *previewBox = new QGroupBox(tr("Cost preview"), this);
    m_preview = new QLabel(previewBox);
    m_preview->setObjectName(QStringLiteral("costPreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setMinimumHeight(m_preview->fontMetrics().lineSpacing() * 2);
    auto *previewLayout = new QVBoxLayout(previewBox);
    previewLayout->addWidget(m_preview);

    auto *buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
    m_start->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &JudgeRunDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createSettings());
    layout->addWidget(createTemplateEditor(), 1);
    layout->addWidget(previewBox);
    layout->addWidget(buttons);

    connect(m_previewer, &CostPreviewer::computing, this,
            [this] { m_preview->setText(tr("Estimating…")); });
    connect(m_previewer, &CostPreviewer::ready, this, &JudgeRunDialog::onPreviewReady);
    connect(m_previewer, &CostPreviewer::failed, this, [this](const QString &message) {
        m_nothingToDo = false;
        m_preview->setText(tr("No estimate: %1").arg(message.toHtmlEscaped()));
        updateStart();
    });
    // The list was reloaded or edited: keep the chosen provider by name while it exists.
    connect(m_providers, &QAbstractItemModel::modelAboutToBeReset, this,
            [this] { m_chosenProvider = config().provider.name; });
    connect(m_providers, &QAbstractItemModel::modelReset, this, [this] {
        setProvider(m_chosenProvider.isEmpty() ? JudgeSettings::load(*m_providers).provider.name
                                               : m_chosenProvider);
        onSettingsChanged();
    });

    restoreSettings();
    loadScopes();
    onSettingsChanged();
    resize(900, 720);
}

JudgeRunDialog::~JudgeRunDialog() = default;

QWidget *JudgeRunDialog::createSettings() {
    auto *box = new QGroupBox(tr("Judge"), this);
    m_provider = new QComboBox(box);
    m_provider->setObjectName(QStringLiteral("judgeProvider"));
    m_provider->setModel(m_providers);
    m_provider->setModelColumn(ProviderListModel::NameColumn);
    m_provider->setMinimumContentsLength(18);
    auto *editProviders = new QPushButton(tr("&Providers…"), box);
    connect(editProviders, &QPushButton::clicked, this, &JudgeRunDialog::providersRequested);
    m_providerInfo = new QLabel(box);
    m_providerInfo->setWordWrap(true);
    m_providerInfo->setEnabled(false);
    auto *providerRow = new QHBoxLayout;
    providerRow->addWidget(m_provider, 1);
    providerRow->addWidget(editProviders);

    m_mode = new QComboBox(box);
    m_mode->setObjectName(QStringLiteral("judgeMode"));
    m_mode->addItem(tr("All criteria in one call (joint)"), int(judge::JudgeMode::Joint));
    m_mode->addItem(tr("One call per criterion"), int(judge::JudgeMode::PerCriterion));
    m_mode->addItem(tr("P(yes) per criterion (soft verdicts from token probabilities)"),
                    int(judge::JudgeMode::Probability));
    m_showWeights = new QCheckBox(tr("Show &weights to the judge"), box);

    m_gradings = new QSpinBox(box);
    m_gradings->setObjectName(QStringLiteral("judgeGradings"));
    m_gradings->setRange(1, 25);
    m_gradings->setToolTip(tr("Repeated gradings per criterion; the verdict is the majority "
                              "vote and the flip rate measures the judge's reliability."));
    m_temperature = new QDoubleSpinBox(box);
    m_temperature->setRange(0, 2);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_repeatTemperature = new QDoubleSpinBox(box);
    m_repeatTemperature->setRange(0, 2);
    m_repeatTemperature->setSingleStep(0.1);
    m_repeatTemperature->setDecimals(2);
    m_repeatTemperature->setToolTip(tr("Temperature of the second and later gradings."));
    auto *gradingRow = new QHBoxLayout;
    gradingRow->addWidget(m_gradings);
    gradingRow->addWidget(new QLabel(tr("temperature"), box));
    gradingRow->addWidget(m_temperature);
    gradingRow->addWidget(new QLabel(tr("repeats at"), box));
    gradingRow->addWidget(m_repeatTemperature);
    gradingRow->addStretch(1);

    m_scope = new ResponseScopeBox(box);
    m_scope->setObjectName(QStringLiteral("judgeScope"));

    m_parseRetries = new QSpinBox(box);
    m_parseRetries->setRange(0, 10);
    m_parseRetries->setToolTip(tr("An answer that cannot be parsed is asked again, a little "
                                  "hotter, this many times; then it is kept as failed."));
    m_bypassCache = new QCheckBox(tr("&Bypass the cache (ask again, pay again)"), box);
    m_cap = new QDoubleSpinBox(box);
    m_cap->setObjectName(QStringLiteral("judgeCap"));
    m_cap->setRange(0, 100000);
    m_cap->setDecimals(2);
    m_cap->setPrefix(QStringLiteral("$"));
    m_cap->setSpecialValueText(tr("no cap"));
    m_cap->setToolTip(tr("Stop sending once this much is spent (priced models only)."));
    m_cap->setMinimumWidth(120);
    auto *answerRow = new QHBoxLayout;
    answerRow->addWidget(m_parseRetries);
    answerRow->addSpacing(12);
    answerRow->addWidget(m_bypassCache);
    answerRow->addStretch(1);

    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_mode);
    modeRow->addSpacing(12);
    modeRow->addWidget(m_showWeights);
    modeRow->addStretch(1);
    auto *capRow = new QHBoxLayout;
    capRow->addWidget(m_cap);
    capRow->addStretch(1);
    // Rows whose field is a layout need their label's buddy set by hand for the mnemonic.
    const auto label = [box](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, box);
        l->setBuddy(buddy);
        return l;
    };
    auto *form = new QFormLayout(box);
    form->addRow(label(tr("P&rovider:"), m_provider), providerRow);
    form->addRow(QString(), m_providerInfo);
    form->addRow(label(tr("&Mode:"), m_mode), modeRow);
    form->addRow(label(tr("&Gradings:"), m_gradings), gradingRow);
    form->addRow(label(tr("R&esponses:"), m_scope), m_scope);
    form->addRow(label(tr("Parse re&tries:"), m_parseRetries), answerRow);
    form->addRow(label(tr("Spending &cap:"), m_cap), capRow);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &JudgeRunDialog::onSettingsChanged);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &JudgeRunDialog::onModeChanged);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &JudgeRunDialog::onSettingsChanged);
    connect(m_scope, &ResponseScopeBox::loaded, this, &JudgeRunDialog::onSettingsChanged);
    for (QCheckBox *check : {m_showWeights, m_bypassCache})
        connect(check, &QCheckBox::toggled, this, &JudgeRunDialog::onSettingsChanged);
    for (QSpinBox *spin : {m_gradings, m_parseRetries})
        connect(spin, &QSpinBox::valueChanged, this, &JudgeRunDialog::onSettingsChanged);
    for (QDoubleSpinBox *spin : {m_temperature, m_repeatTemperature, m_cap})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &JudgeRunDialog::onSettingsChanged);
    return box;
}

QWidget *JudgeRunDialog::createTemplateEditor() {
    auto *box = new QGroupBox(tr("Judge template"), this);
    m_version = new QLabel(box);
    m_version->setObjectName(QStringLiteral("templateVersion"));
    auto *reset = new QPushButton(tr("Reset to B&uilt-in"), box);
    auto *top = new QHBoxLayout;
    top->addWidget(m_version, 1);
    top->addWidget(reset);

    m_system = templateEdit(box);
    m_system->setObjectName(QStringLiteral("systemTemplate"));
    m_user = templateEdit(box);
    m_user->setObjectName(QStringLiteral("userTemplate"));
    auto *tabs = new QTabWidget(box);
    tabs->setDocumentMode(true);
    tabs->addTab(m_system, tr("System"));
    tabs->addTab(m_user, tr("User"));

    auto *hint = new QLabel(tr("{prompt}, {response} and {criteria} are filled in; they stay "
                               "between marker lines that a response cannot forge. An edited "
                               "template is a new run and is never answered from the cache of "
                               "another template."),
                            box);
    hint->setWordWrap(true);
    hint->setEnabled(false);
    m_templateProblem = new QLabel(box);
    // Set when the dialog opens, so it is in the look of the moment.
    m_templateProblem->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::errorColour().name()));
    m_templateProblem->hide();

    auto *layout = new QVBoxLayout(box);
    layout->addLayout(top);
    layout->addWidget(tabs, 1);
    layout->addWidget(m_templateProblem);
    layout->addWidget(hint);

    connect(reset, &QPushButton::clicked, this, [this] {
        m_system->setPlainText(judge::JudgeTemplate::defaultSystem(config().mode));
        m_user->setPlainText(judge::JudgeTemplate::defaultUser(config().mode));
    });
    for (QPlainTextEdit *edit : {m_system, m_user})
        connect(edit, &QPlainTextEdit::textChanged, this, &JudgeRunDialog::onSettingsChanged);
    return box;
}

void JudgeRunDialog::loadScopes() {
    if (!m_session.isOpen())
        return;
    m_scope->load(m_session.path(), m_savedTier);
}

void JudgeRunDialog::restoreSettings() {
    m_restoring = true;
    const judge::JudgeConfig saved = JudgeSettings::load(*m_providers);
    setProvider(saved.provider.name);
    m_mode->setCurrentIndex(qMax(0, m_mode->findData(int(saved.mode))));
    m_shownMode = config().mode;
    m_showWeights->setChecked(saved.showWeights);
    m_gradings->setValue(saved.gradings);
    m_temperature->setValue(saved.temperature);
    m_repeatTemperature->setValue(saved.repeatTemperature);
    m_savedTier = saved.tier;
    m_parseRetries->setValue(saved.parseRetries);
    m_cap->setValue(JudgeSettings::spendingCap());
    m_system->setPlainText(saved.systemTemplate.isEmpty()
                               ? judge::JudgeTemplate::defaultSystem(m_shownMode)
                               : saved.systemTemplate);
    m_user->setPlainText(saved.userTemplate.isEmpty()
                             ? judge::JudgeTemplate::defaultUser(m_shownMode)
                             : saved.userTemplate);
    m_restoring = false;
}

void JudgeRunDialog::saveSettings() const {
    JudgeSettings::save(config());
    JudgeSettings::setSpendingCap(m_cap->value());
}

void JudgeRunDialog::setProvider(const QString &name) {
    const int row = m_providers->rowOf(name);
    m_provider->setCurrentIndex(row >= 0 ? row : (m_provider->count() > 0 ? 0 : -1));
}

judge::JudgeConfig JudgeRunDialog::config() const {
    judge::JudgeConfig c;
    c.provider = m_providers->provider(m_provider->currentIndex());
    c.mode = judge::JudgeMode(m_mode->currentData().toInt());
    c.showWeights = m_showWeights->isChecked();
    c.gradings = m_gradings->value();
    c.temperature = m_temperature->value();
    c.repeatTemperature = m_repeatTemperature->value();
    c.tier = m_scope->tier();
    c.parseRetries = m_parseRetries->value();
    // Text equal to the built-in template is the built-in one (and keeps its version).
    const QString system = m_system->toPlainText();
    const QString user = m_user->toPlainText();
    if (system != judge::JudgeTemplate::defaultSystem(c.mode) ||
        user != judge::JudgeTemplate::defaultUser(c.mode)) {
        c.systemTemplate = system;
        c.userTemplate = user;
    }
    return c;
}

llm::JobOptions JudgeRunDialog::options() const {
    llm::JobOptions o;
    o.kind = QStringLiteral("judge");
    o.bypassCache = m_bypassCache->isChecked();
    o.spendingCapUsd = m_cap->value();
    return o;
}

QString JudgeRunDialog::jobName() const {
    const judge::JudgeConfig c = config();
    QStringList parts{tr("Judge"), c.provider.model,
                      c.mode == judge::JudgeMode::Joint          ? tr("joint")
                      : c.mode == judge::JudgeMode::PerCriterion ? tr("per criterion")
                                                                 : tr("P(yes)")};
    if (c.gradings > 1)
        parts << tr("%1 gradings").arg(c.gradings);
    if (!c.tier.isEmpty())
        parts << c.tier;
    return parts.join(QStringLiteral(" · "));
}

void JudgeRunDialog::onModeChanged() {
    const judge::JudgeMode mode = config().mode;
    // An untouched built-in system prompt follows the mode; an edited one is the user's.
    if (m_system->toPlainText() == judge::JudgeTemplate::defaultSystem(m_shownMode))
        m_system->setPlainText(judge::JudgeTemplate::defaultSystem(mode));
    // The built-in user templates differ by mode too (what is shared comes first).
    if (m_user->toPlainText() == judge::JudgeTemplate::defaultUser(m_shownMode))
        m_user->setPlainText(judge::JudgeTemplate::defaultUser(mode));
    m_shownMode = mode;
    onSettingsChanged();
}

void JudgeRunDialog::onSettingsChanged() {
    if (m_restoring)
        return;
    const judge::JudgeConfig c = config();
    m_repeatTemperature->setEnabled(c.gradings > 1);
    updateProviderInfo();
    const judge::JudgeTemplate tpl(c);
    m_version->setText(c.systemTemplate.isEmpty()
                           ? tr("Template version <b>%1</b> (built-in)").arg(tpl.version())
                           : tr("Template version <b>%1</b> (edited)").arg(tpl.version()));
    const QString problem = templateProblem();
    m_templateProblem->setText(problem);
    m_templateProblem->setVisible(!problem.isEmpty());
    m_nothingToDo = false;
    if (c.provider.name.isEmpty())
        m_preview->setText(tr("Choose a provider to see what the run costs."));
    else
        m_previewer->request(c, m_bypassCache->isChecked());
    updateStart();
}

void JudgeRunDialog::updateProviderInfo() {
    const int row = m_provider->currentIndex();
    if (row < 0) {
        m_providerInfo->setText(m_providers->rowCount() == 0
                                    ? tr("No providers yet: add one with Providers…")
                                    : QString());
        return;
    }
    const llm::ProviderConfig p = m_providers->provider(row);
    m_providerInfo->setText(tr("%1 · %2 · %3 · key: %4")
                                .arg(p.model, ProviderListModel::kindText(p.kind), p.baseUrl,
                                     ProviderListModel::keyText(p)));
}

QString JudgeRunDialog::templateProblem() const {
    const QString user = m_user->toPlainText();
    QStringList missing;
    for (const char *placeholder : {"{response}", "{criteria}"})
        if (!user.contains(QLatin1String(placeholder)))
            missing << QLatin1String(placeholder);
    if (missing.isEmpty())
        return {};
    return tr("The user template must contain %1.").arg(missing.join(tr(" and ")));
}

void JudgeRunDialog::onPreviewReady(const llm::CostPreview &p) {
    const QLocale locale;
    m_nothingToDo = p.calls == 0;
    if (m_nothingToDo) {
        m_preview->setText(tr("Nothing to judge: every verdict of this run is stored already. "
                              "Edit a rubric, change a setting or add responses to judge more."));
        updateStart();
        return;
    }
    QString text = tr("<b>%1</b> · %2 answered from the cache · %3 to send")
                       .arg(countText(p.calls, tr("call"), tr("calls")), locale.toString(p.cached),
                            locale.toString(p.toSend));
    if (m_bypassCache->isChecked())
        text += tr(" (cache bypassed)");
    text +=
        QStringLiteral("<br>") +
        tr("≈ %1 tokens in, %2 out").arg(locale.toString(p.tokensIn), locale.toString(p.tokensOut));
    const judge::JudgeConfig c = config();
    if (p.priced) {
        text += tr(" · <b>≈ $%1</b>").arg(locale.toString(p.costUsd, 'f', p.costUsd < 1 ? 4 : 2));
        if (m_cap->value() > 0 && p.costUsd > m_cap->value())
            text += tr(" · stops at the $%1 cap").arg(locale.toString(m_cap->value(), 'f', 2));
    } else {
        text += tr(" · cost unknown: %1 is unpriced (add it to prices.json)")
                    .arg(c.provider.model.toHtmlEscaped());
        if (m_cap->value() > 0)
            text += tr("; the spending cap cannot apply");
    }
    m_preview->setText(text);
    updateStart();
}

void JudgeRunDialog::updateStart() {
    m_start->setEnabled(m_session.isOpen() && m_provider->currentIndex() >= 0 &&
                        templateProblem().isEmpty() && !m_nothingToDo);
}

void JudgeRunDialog::accept() {
    if (!m_start->isEnabled())
        return;
    saveSettings();
    QDialog::accept();
}

} // namespace rs::ui
