#pragma once

#include <QComboBox>

namespace rs::ui {

/// Which responses a judge run (or a batch of one) covers: "All responses (N)" or one tier
/// with its count, read from the project on a worker. The data of each item is the tier
/// (empty for all), as judge::JudgeConfig::tier takes it.
class ResponseScopeBox final : public QComboBox {
    Q_OBJECT

public:
    explicit ResponseScopeBox(QWidget *parent = nullptr);

    /// Lists the tiers of the project at `path` and then selects `wantedTier` (all responses
    /// when it is not there); emits loaded() once the list is in.
    void load(const QString &path, const QString &wantedTier);
    /// The chosen tier; empty for all responses.
    QString tier() const { return currentData().toString(); }

Q_SIGNALS:
    void loaded();
};

} // namespace rs::ui
