#pragma once

#include "domain/records.h"

#include <QWidget>

class QFormLayout;
class QGroupBox;
class QLabel;
class QTableView;

namespace rs::ui {

class RubricTableModel;

/// The right-hand inspector: facts about the response being read (generator, tier, length,
/// source, policy) and the prompt's criteria as a checklist next to it, so a researcher can
/// read a response against its rubric without switching tabs.
class InspectorPanel final : public QWidget {
    Q_OBJECT

public:
    explicit InspectorPanel(QWidget *parent = nullptr);

    /// Shows the criteria of `model` (shared with the Rubric tab, so both always agree).
    void setRubricModel(RubricTableModel *model);
    void showResponse(const rs::ResponseRecord &record);

    QTableView *criteriaView() const { return m_criteria; }
    QString responseSummary() const;

private:
    void updateRubricTitle();

    QGroupBox *m_responseBox = nullptr;
    QLabel *m_generator = nullptr;
    QLabel *m_tier = nullptr;
    QLabel *m_length = nullptr;
    QLabel *m_source = nullptr;
    QLabel *m_policy = nullptr;
    QGroupBox *m_rubricBox = nullptr;
    QTableView *m_criteria = nullptr;
    RubricTableModel *m_model = nullptr;
};

} // namespace rs::ui
