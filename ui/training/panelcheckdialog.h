#pragma once

#include "llm/providerconfig.h"

#include <QDialog>

#include <vector>

class QLabel;
class QPushButton;
class QTableView;

namespace rs::ui {

class ProviderListModel;

/// "Panel check…" on the Training tab: picks the oracle models (one provider, or a panel of 2
/// to 5 with different models) among the configured providers, shown in a table over the
/// providers model. Start is offered only for a valid choice; the hint says why otherwise.
class PanelCheckDialog final : public QDialog {
    Q_OBJECT

public:
    PanelCheckDialog(ProviderListModel &providers, qint64 step, int topK,
                     QWidget *parent = nullptr);

    /// The chosen providers, in the providers' order.
    std::vector<llm::ProviderConfig> panel() const;
    QTableView *providerView() const { return m_view; }
    QPushButton *startButton() const { return m_start; }
    QLabel *hintLabel() const { return m_hint; }

private:
    void updateState();

    ProviderListModel &m_providers;
    QTableView *m_view = nullptr;
    QLabel *m_hint = nullptr;
    QPushButton *m_start = nullptr;
};

} // namespace rs::ui
