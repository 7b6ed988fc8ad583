#include "providers/providersdialog.h"

#include "common/theme.h"
#include "providers/capabilitysummary.h"
#include "providers/keychainkeyresolver.h"
#include "providers/providereditor.h"
#include "providers/providerlistmodel.h"
#include "providers/providerprobe.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {

ProvidersDialog::ProvidersDialog(ProviderListModel &providers,
                                 std::shared_ptr<KeychainKeyResolver> keys, QWidget *parent)
    : QDialog(parent)
    , m_shared(providers)
    , m_keys(std::move(keys))
    , m_model(new ProviderListModel(providers.path(), this))
    , m_probe(new ProviderProbe(m_keys, this)) {
    setWindowTitle(tr("Providers"));
    m_model->setProviders(providers.providers());
    for (const auto &p : providers.providers())
        m_savedNames.insert(p.name);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setColumnHidden(ProviderListModel::KindColumn, true);
    m_table->setColumnHidden(ProviderListModel::UrlColumn, true);
    m_table->horizontalHeader()->setSectionResizeMode(ProviderListModel::ModelColumn,
                                                      QHeaderView::Stretch);
    m_table->setMinimumWidth(330);

    auto *add = new QPushButton(tr("&Add"), this);
    m_duplicate = new QPushButton(tr("D&uplicate"), this);
    m_remove = new QPushButton(tr("&Remove"), this);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(m_duplicate);
    listButtons->addWidget(m_remove);
    listButtons->addStretch(1);
    auto *left = new QVBoxLayout;
    left->addWidget(m_table, 1);
    left->addLayout(listButtons);

    m_editor = new ProviderEditor(m_keys, this);
    m_test = new QPushButton(tr("&Test"), this);
    m_test->setToolTip(tr("Ask the model what it accepts with these settings (not saved yet "
                          "is fine): one small request with every optional parameter the studio "
                          "uses, sent again without what it refuses. What is found is stored, "
                          "so runs send only that."));
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addStretch(1);
    m_capabilities = new QLabel(this);
    m_capabilities->setObjectName(QStringLiteral("providerCapabilities"));
    m_capabilities->setTextFormat(Qt::RichText);
    m_capabilities->setWordWrap(true);
    m_capabilities->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_capabilities->setContentsMargins(0, 6, 0, 0);
    m_capabilities->hide();
    auto *right = new QVBoxLayout;
    right->addWidget(m_editor);
    right->addLayout(testRow);
    right->addWidget(m_capabilities);
    right->addStretch(1);

    auto *top = new QHBoxLayout;
    top->addLayout(left, 2);
    top->addLayout(right, 3);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("providersStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setMinimumHeight(m_status->fontMetrics().lineSpacing() * 2);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(add, &QPushButton::clicked, this, &ProvidersDialog::addProvider);
    connect(m_duplicate, &QPushButton::clicked, this, &ProvidersDialog::duplicateProvider);
    connect(m_remove, &QPushButton::clicked, this, &ProvidersDialog::removeProvider);
    connect(m_test, &QPushButton::clicked, this, &ProvidersDialog::testProvider);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProvidersDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ProvidersDialog::onCurrentChanged);
    connect(m_editor, &ProviderEditor::edited, this, &ProvidersDialog::onEdited);
    connect(m_editor, &ProviderEditor::keyStored, this, [this](const QString &name) {
        // The entry is named now: renaming would strand the key under the old name.
        m_lockedNames.insert(name);
        if (m_editingRow >= 0)
            m_editor->setProvider(m_model->provider(m_editingRow), false);
    });
    connect(m_probe, &ProviderProbe::finished, this, [this](const ProviderProbe::Result &r) {
        m_test->setEnabled(true);
        showStatus(ProviderProbe::describe(r), !r.ok);
        showCapabilities(r);
    });

    if (!providers.loadError().isEmpty())
        showStatus(tr("providers.json could not be read (%1); saving replaces it.")
                       .arg(providers.loadError()),
                   true);
    else if (m_model->rowCount() == 0)
        showStatus(tr("No providers yet: add one. Keys are never saved with a provider: "
                      "they come from an environment variable or the system keychain."));
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
    onCurrentChanged();
    resize(940, 560);
}

ProvidersDialog::~ProvidersDialog() = default;

int ProvidersDialog::currentRow() const {
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void ProvidersDialog::selectProvider(const QString &name) {
    const int row = m_model->rowOf(name);
    if (row >= 0)
        m_table->selectRow(row);
}

void ProvidersDialog::onCurrentChanged() {
    m_editingRow = currentRow();
    const bool has = m_editingRow >= 0;
    m_remove->setEnabled(has);
    m_duplicate->setEnabled(has);
    m_test->setEnabled(has && !m_probe->isRunning());
    m_capabilities->hide(); // about the provider tested, which may not be this one
    if (!has) {
        m_editor->clear();
        return;
    }
    const llm::ProviderConfig p = m_model->provider(m_editingRow);
    m_editor->setProvider(p, !m_savedNames.contains(p.name) && !m_lockedNames.contains(p.name));
}

void ProvidersDialog::onEdited() {
    if (m_editingRow < 0)
        return;
    m_model->setProvider(m_editingRow, m_editor->provider());
    const QString problem = m_editor->problem();
    if (!problem.isEmpty())
        showStatus(problem, true);
    else
        showStatus({});
}

QString ProvidersDialog::uniqueName(const QString &base) const {
    QString name = base;
    for (int n = 2; m_model->rowOf(name) >= 0; ++n)
        name = base + QLatin1Char('-') + QString::number(n);
    return name;
}

void ProvidersDialog::addProvider() {
    llm::ProviderConfig p;
    p.name = uniqueName(QStringLiteral("provider"));
    const int row = m_model->appendProvider(p);
    m_table->selectRow(row);
    if (auto *name = m_editor->findChild<QWidget *>(QStringLiteral("providerName")))
        name->setFocus();
    showStatus(tr("Fill in the base URL and the model, then Test."));
}

void ProvidersDialog::duplicateProvider() {
    const int row = currentRow();
    if (row < 0)
        return;
    llm::ProviderConfig p = m_model->provider(row);
    p.name = uniqueName(p.name + QStringLiteral("-copy"));
    if (p.keySource == llm::KeySource::Keychain)
        showStatus(tr("The copy has its own keychain entry: store a key for it."));
    m_table->selectRow(m_model->appendProvider(p));
}

void ProvidersDialog::removeProvider() {
    const int row = currentRow();
    if (row < 0)
        return;
    const llm::ProviderConfig p = m_model->provider(row);
    if (p.keySource == llm::KeySource::Keychain || m_lockedNames.contains(p.name))
        m_removedKeychainNames << p.name;
    m_model->removeProvider(row);
    if (m_model->rowCount() > 0)
        m_table->selectRow(qMin(row, m_model->rowCount() - 1));
    onCurrentChanged();
    showStatus(
        p.keySource == llm::KeySource::Keychain
            ? tr("Removed \"%1\"; its key is deleted from the keychain when you save.").arg(p.name)
            : tr("Removed \"%1\".").arg(p.name));
}

void ProvidersDialog::testProvider() {
    if (m_editingRow < 0)
        return;
    const QString problem = m_editor->problem();
    if (!problem.isEmpty()) {
        showStatus(problem, true);
        return;
    }
    const llm::ProviderConfig p = m_editor->provider();
    m_test->setEnabled(false);
    m_capabilities->hide();
    showStatus(tr("Testing %1 (%2)…").arg(p.name, p.model));
    m_probe->start(p);
}

void ProvidersDialog::showCapabilities(const ProviderProbe::Result &result) {
    // Only what was stored is shown: a probe that got no answer found nothing to rely on.
    if (!result.ok || !result.report) {
        m_capabilities->clear();
        m_capabilities->hide();
        return;
    }
    const QString title =
        tr("What %1 accepts (%2)")
            .arg(result.provider.model.toHtmlEscaped(), result.provider.name.toHtmlEscaped());
    m_capabilities->setText(
        QStringLiteral("<p><b>%1</b></p>").arg(title) +
        capabilitySummaryHtml(capabilitySummary(result.provider, *result.report)));
    m_capabilities->show();
}

void ProvidersDialog::save() {
    if (m_saving)
        return;
    QSet<QString> names;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const llm::ProviderConfig p = m_model->provider(row);
        QString problem = ProviderEditor::problemOf(p);
        if (problem.isEmpty() && names.contains(p.name))
            problem = tr("Two providers are called \"%1\".").arg(p.name);
        names.insert(p.name);
        if (!problem.isEmpty()) {
            m_table->selectRow(row);
            showStatus(problem, true);
            return;
        }
    }
    m_saving = true;
    m_buttons->setEnabled(false);
    showStatus(tr("Saving…"));
    auto *context = new QObject(this); // one-shot connections, dropped with it
    connect(m_model, &ProviderListModel::saved, context, [this, context, names] {
        context->deleteLater();
        m_saving = false;
        m_buttons->setEnabled(true);
        for (const QString &name : std::as_const(m_removedKeychainNames))
            if (!names.contains(name))
                m_keys->forget(name);
        m_removedKeychainNames.clear();
        m_shared.setProviders(m_model->providers());
        m_savedNames = names;
        Q_EMIT saved();
        accept();
    });
    connect(m_model, &ProviderListModel::errorOccurred, context,
            [this, context](const QString &message) {
                context->deleteLater();
                m_saving = false;
                m_buttons->setEnabled(true);
                showStatus(tr("Cannot save: %1").arg(message), true);
            });
    m_model->save();
}

void ProvidersDialog::showStatus(const QString &text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: %1;").arg(Theme::errorColour().name()) : QString());
}

} // namespace rs::ui
