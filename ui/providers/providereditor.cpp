#include "providers/providereditor.h"

#include "providers/keychainkeyresolver.h"
#include "providers/providerlistmodel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

enum KeyPage { NoKeyPage, EnvPage, KeychainPage };

const QString kOpenAiUrl = QStringLiteral("https://api.openai.com/v1");
const QString kAnthropicUrl = QStringLiteral("https://api.anthropic.com/v1");

QSpinBox *spin(QWidget *parent, int min, int max, const QString &suffix = {},
               const QString &zeroText = {}) {
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setSuffix(suffix);
    box->setSpecialValueText(zeroText);
    box->setGroupSeparatorShown(true);
    box->setAccelerated(true);
    return box;
}

QLineEdit *envEdit(QWidget *parent, const QString &placeholder) {
    auto *edit = new QLineEdit(parent);
    edit->setPlaceholderText(placeholder);
    // A shell variable name, so a typo cannot silently name something unreadable.
    edit->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*")), edit));
    return edit;
}

} // namespace

ProviderEditor::ProviderEditor(std::shared_ptr<KeychainKeyResolver> keys, QWidget *parent)
    : QWidget(parent)
    , m_keys(std::move(keys)) {
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("providerName"));
    m_name->setPlaceholderText(tr("e.g. openai-judge"));
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("providerKind"));
    m_kind->addItem(ProviderListModel::kindText(llm::ProviderKind::OpenAiCompatible));
    m_kind->addItem(ProviderListModel::kindText(llm::ProviderKind::Anthropic));
    m_kind->setToolTip(tr("OpenAI-compatible covers OpenAI, vLLM, Ollama, llama.cpp's "
                          "llama-server, OpenRouter and any server with /chat/completions."));
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("providerBaseUrl"));
    m_replicaUrls = new QLineEdit(this);
    m_replicaUrls->setObjectName(QStringLiteral("providerReplicaUrls"));
    m_replicaUrls->setPlaceholderText(
        tr("none, or e.g. http://10.0.0.2:8000/v1, http://10.0.0.3:8000/v1"));
    m_replicaUrls->setToolTip(
        tr("More servers of the same model (vLLM or SGLang judge replicas), comma-separated. "
           "Calls go to the replica with the fewest in flight; one that fails is left out "
           "until a health probe answers. The base URL names the provider's cache and runs."));
    m_model = new QLineEdit(this);
    m_model->setObjectName(QStringLiteral("providerModel"));
    m_model->setPlaceholderText(tr("e.g. gpt-4.1, claude-sonnet-4-0, Qwen/Qwen3-32B"));

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(tr("Base &URL:"), m_baseUrl);
    form->addRow(tr("&Replicas:"), m_replicaUrls);
    form->addRow(tr("&Model:"), m_model);
    form->addRow(tr("API &key:"), createKeyRow());
    form->addRow(tr("Limits:"), createLimitsRow());

    for (QLineEdit *edit : {m_name, m_baseUrl, m_replicaUrls, m_model, m_envName, m_fallbackEnv})
        connect(edit, &QLineEdit::textEdited, this, [this] {
            if (!m_loading)
                Q_EMIT edited();
        });
    connect(m_envName, &QLineEdit::textEdited, this, &ProviderEditor::refreshKeyStatus);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &ProviderEditor::onKindChanged);
    connect(m_keySource, &QComboBox::currentIndexChanged, this,
            &ProviderEditor::onKeySourceChanged);
    for (QSpinBox *box :
         {m_concurrency, m_requestsPerMinute, m_tokensPerMinute, m_timeoutSeconds, m_retries})
        connect(box, &QSpinBox::valueChanged, this, [this] {
            if (!m_loading)
                Q_EMIT edited();
        });
    clear();
}

QWidget *ProviderEditor::createKeyRow() {
    auto *row = new QWidget(this);
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_keySource = new QComboBox(row);
    m_keySource->setObjectName(QStringLiteral("providerKeySource"));
    m_keySource->addItem(tr("None (local server)"));
    m_keySource->addItem(tr("Environment variable"));
    m_keySource->addItem(tr("System keychain"));
    layout->addWidget(m_keySource);

    m_keyPages = new QStackedWidget(row);
    auto *none = new QLabel(tr("No key is sent: for vLLM, llama-server, Ollama and the local "
                               "test server."),
                            m_keyPages);
    none->setWordWrap(true);
    m_keyPages->addWidget(none);

    auto *envPage = new QWidget(m_keyPages);
    auto *envLayout = new QHBoxLayout(envPage);
    envLayout->setContentsMargins(0, 0, 0, 0);
    m_envName = envEdit(envPage, QStringLiteral("OPENAI_API_KEY"));
    m_envName->setObjectName(QStringLiteral("providerKeyEnv"));
    envLayout->addWidget(new QLabel(tr("Variable:"), envPage));
    envLayout->addWidget(m_envName, 1);
    m_keyPages->addWidget(envPage);

    auto *chainPage = new QWidget(m_keyPages);
    auto *chain = new QGridLayout(chainPage);
    chain->setContentsMargins(0, 0, 0, 0);
    m_secret = new QLineEdit(chainPage);
    m_secret->setObjectName(QStringLiteral("providerSecret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("paste a key to store it; it is not shown again"));
    m_storeKey = new QPushButton(tr("&Store Key"), chainPage);
    m_storeKey->setObjectName(QStringLiteral("storeKey"));
    m_storeKey->setEnabled(false);
    m_fallbackEnv = envEdit(chainPage, tr("optional, e.g. ANTHROPIC_API_KEY"));
    m_fallbackEnv->setObjectName(QStringLiteral("providerFallbackEnv"));
    m_fallbackEnv->setToolTip(tr("Used when the keychain cannot be read, and by the "
                                 "command-line tool, which does not read the keychain."));
    chain->addWidget(new QLabel(tr("Key:"), chainPage), 0, 0);
    chain->addWidget(m_secret, 0, 1);
    chain->addWidget(m_storeKey, 0, 2);
    chain->addWidget(new QLabel(tr("Fallback variable:"), chainPage), 1, 0);
    chain->addWidget(m_fallbackEnv, 1, 1, 1, 2);
    m_keyPages->addWidget(chainPage);
    layout->addWidget(m_keyPages);

    m_keyStatus = new QLabel(row);
    m_keyStatus->setObjectName(QStringLiteral("keyStatus"));
    m_keyStatus->setWordWrap(true);
    m_keyStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_keyStatus);

    connect(m_secret, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_storeKey->setEnabled(!text.isEmpty()); });
    connect(m_secret, &QLineEdit::returnPressed, this, &ProviderEditor::storeKey);
    connect(m_storeKey, &QPushButton::clicked, this, &ProviderEditor::storeKey);
    return row;
}

QWidget *ProviderEditor::createLimitsRow() {
    auto *row = new QWidget(this);
    auto *grid = new QGridLayout(row);
    grid->setContentsMargins(0, 0, 0, 0);
    m_concurrency = spin(row, 1, 512);
    m_concurrency->setToolTip(tr("Requests in flight at once; halved on HTTP 429, then it "
                                 "recovers."));
    m_requestsPerMinute = spin(row, 0, 1000000, {}, tr("no limit"));
    m_tokensPerMinute = spin(row, 0, 100000000, {}, tr("no limit"));
    m_timeoutSeconds = spin(row, 1, 3600, tr(" s"));
    m_timeoutSeconds->setToolTip(tr("Per request; a request that times out is retried."));
    m_retries = spin(row, 0, 20);
    m_retries->setToolTip(tr("On HTTP 429, 5xx, timeouts and broken answers, with backoff."));
    const std::pair<QString, QSpinBox *> cells[] = {{tr("Concurrency:"), m_concurrency},
                                                    {tr("Requests/min:"), m_requestsPerMinute},
                                                    {tr("Tokens/min:"), m_tokensPerMinute},
                                                    {tr("Timeout:"), m_timeoutSeconds},
                                                    {tr("Retries:"), m_retries}};
    int i = 0;
    for (const auto &[label, box] : cells) {
        grid->addWidget(new QLabel(label, row), i / 2, (i % 2) * 2);
        grid->addWidget(box, i / 2, (i % 2) * 2 + 1);
        ++i;
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    return row;
}

void ProviderEditor::setProvider(const llm::ProviderConfig &p, bool nameEditable) {
    m_loading = true;
    setEnabled(true);
    m_name->setText(p.name);
    m_name->setReadOnly(!nameEditable);
    m_name->setToolTip(nameEditable ? QString()
                                    : tr("Judge runs and the keychain entry are named after "
                                         "the provider; duplicate it to make a variant."));
    m_kind->setCurrentIndex(p.kind == llm::ProviderKind::Anthropic ? 1 : 0);
    m_baseUrl->setText(p.baseUrl);
    m_replicaUrls->setText(p.replicaUrls.join(QStringLiteral(", ")));
    m_model->setText(p.model);
    const int page = p.keySource == llm::KeySource::Environment ? EnvPage
                     : p.keySource == llm::KeySource::Keychain  ? KeychainPage
                                                                : NoKeyPage;
    m_envName->setText(p.keySource == llm::KeySource::Environment ? p.keyEnv : QString());
    m_fallbackEnv->setText(p.keySource == llm::KeySource::Keychain ? p.keyEnv : QString());
    m_secret->clear();
    m_keySource->setCurrentIndex(page);
    showKeyPage(page);
    m_concurrency->setValue(p.maxConcurrency);
    m_requestsPerMinute->setValue(p.requestsPerMinute);
    m_tokensPerMinute->setValue(p.tokensPerMinute);
    m_timeoutSeconds->setValue(qMax(1, (p.timeoutMs + 999) / 1000));
    m_retries->setValue(p.maxRetries);
    onKindChanged();
    m_loading = false;
    refreshKeyStatus();
}

void ProviderEditor::clear() {
    setProvider(llm::ProviderConfig{}, false);
    setKeyStatus({});
    setEnabled(false);
}

llm::ProviderConfig ProviderEditor::provider() const {
    llm::ProviderConfig p;
    p.name = m_name->text().trimmed();
    p.kind = m_kind->currentIndex() == 1 ? llm::ProviderKind::Anthropic
                                         : llm::ProviderKind::OpenAiCompatible;
    p.baseUrl = m_baseUrl->text().trimmed();
    // Commas or spaces between URLs, as `--base-url` takes them on the command line.
    p.replicaUrls = m_replicaUrls->text().split(QRegularExpression(QStringLiteral("[,\\s]+")),
                                                Qt::SkipEmptyParts);
    p.model = m_model->text().trimmed();
    switch (m_keySource->currentIndex()) {
    case EnvPage:
        p.keySource = llm::KeySource::Environment;
        p.keyEnv = m_envName->text().trimmed();
        break;
    case KeychainPage:
        p.keySource = llm::KeySource::Keychain;
        p.keyEnv = m_fallbackEnv->text().trimmed();
        break;
    default:
        p.keySource = llm::KeySource::None;
        break;
    }
    p.maxConcurrency = m_concurrency->value();
    p.requestsPerMinute = m_requestsPerMinute->value();
    p.tokensPerMinute = m_tokensPerMinute->value();
    p.timeoutMs = m_timeoutSeconds->value() * 1000;
    p.maxRetries = m_retries->value();
    return p;
}

QString ProviderEditor::problemOf(const llm::ProviderConfig &p) {
    if (p.name.isEmpty())
        return tr("Give the provider a name.");
    if (p.baseUrl.isEmpty())
        return tr("Provider \"%1\" needs a base URL.").arg(p.name);
    const QUrl url(p.baseUrl, QUrl::StrictMode);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        return tr("The base URL of \"%1\" must be an http:// or https:// address.").arg(p.name);
    for (const QString &replica : p.replicaUrls) {
        const QUrl r(replica, QUrl::StrictMode);
        if (!r.isValid() ||
            (r.scheme() != QLatin1String("http") && r.scheme() != QLatin1String("https")) ||
            r.host().isEmpty())
            return tr("Replica \"%1\" of \"%2\" must be an http:// or https:// address.")
                .arg(replica, p.name);
    }
    if (p.model.isEmpty())
        return tr("Provider \"%1\" needs a model name.").arg(p.name);
    if (p.keySource == llm::KeySource::Environment && p.keyEnv.isEmpty())
        return tr("Name the environment variable that holds the key of \"%1\".").arg(p.name);
    return {};
}

void ProviderEditor::onKindChanged() {
    const bool anthropic = m_kind->currentIndex() == 1;
    m_baseUrl->setPlaceholderText(anthropic ? kAnthropicUrl
                                            : kOpenAiUrl + tr("  or  http://127.0.0.1:8000/v1"));
    if (!m_loading)
        Q_EMIT edited();
}

void ProviderEditor::showKeyPage(int page) {
    // A stacked widget is as tall as its tallest page; only the shown page should count.
    for (int i = 0; i < m_keyPages->count(); ++i)
        m_keyPages->widget(i)->setSizePolicy(
            i == page ? QSizePolicy::Preferred : QSizePolicy::Ignored,
            i == page ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_keyPages->setCurrentIndex(page);
    m_keyPages->adjustSize();
}

void ProviderEditor::onKeySourceChanged() {
    showKeyPage(m_keySource->currentIndex());
    if (m_loading)
        return;
    refreshKeyStatus();
    Q_EMIT edited();
}

void ProviderEditor::refreshKeyStatus() {
    const quint64 generation = ++m_statusGeneration;
    const llm::ProviderConfig p = provider();
    switch (p.keySource) {
    case llm::KeySource::None:
        setKeyStatus({});
        return;
    case llm::KeySource::Environment:
        if (p.keyEnv.isEmpty())
            setKeyStatus({});
        else if (qEnvironmentVariableIsEmpty(p.keyEnv.toLocal8Bit().constData()))
            setKeyStatus(tr("%1 is not set in the studio's environment.").arg(p.keyEnv));
        else
            setKeyStatus(tr("%1 is set.").arg(p.keyEnv));
        return;
    case llm::KeySource::Keychain:
        break;
    }
    if (p.name.isEmpty()) {
        setKeyStatus(tr("The keychain entry is named after the provider: name it first."));
        return;
    }
    setKeyStatus(tr("Checking the keychain…"));
    m_keys->whenReady(p, this, [this, p, generation] {
        if (generation != m_statusGeneration)
            return;
        if (m_keys->hasCachedKey(p.name)) {
            setKeyStatus(tr("A key is stored in the system keychain."));
            return;
        }
        auto key = m_keys->key(p); // answers from the cache on this thread
        setKeyStatus(key ? tr("No key in the keychain; %1 is used.").arg(p.keyEnv)
                         : key.error().message);
    });
}

void ProviderEditor::setKeyStatus(const QString &text) {
    m_keyStatus->setText(text);
    m_keyStatus->setVisible(!text.isEmpty()); // an empty line would leave a gap in the form
}

void ProviderEditor::storeKey() {
    const QString secret = m_secret->text().trimmed();
    const QString name = m_name->text().trimmed();
    if (secret.isEmpty())
        return;
    if (name.isEmpty()) {
        setKeyStatus(tr("Name the provider first: the keychain entry is named after it."));
        return;
    }
    m_secret->clear(); // out of the widget at once; the only copy left is on its way
    m_storeKey->setEnabled(false);
    ++m_statusGeneration;
    setKeyStatus(tr("Storing the key…"));
    m_keys->store(name, secret, this, [this, name](const QString &error) {
        if (!error.isEmpty()) {
            setKeyStatus(error);
            return;
        }
        setKeyStatus(tr("A key is stored in the system keychain."));
        Q_EMIT keyStored(name);
    });
}

} // namespace rs::ui
