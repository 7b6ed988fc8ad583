#pragma once

#include <Qt>

namespace rs::ui {

/// Item-data roles of every model in the studio, in one place so views, delegates, proxies
/// and tests agree on them. Values start at Qt::UserRole and never change meaning.
enum Role : int {
    SortRole = Qt::UserRole + 1, ///< what a QSortFilterProxyModel orders a column by

    // Prompts (PromptListModel)
    PromptIdRole,
    PromptTextRole, ///< the start of the prompt (up to 400 characters)
    PromptDatasetRole,
    ResponseCountRole,
    CriteriaCountRole,
    RubricVersionsRole,
    CountsTextRole, ///< "16 resp · 7 criteria · v3", the navigator's second line

    // Responses (ResponseTableModel)
    ResponseIdRole,
    ResponseTextRole,
    GeneratorRole,
    TierRole,
    LengthRole,
    SourceFileRole,
    OffPolicyRole,
    EmptyResponseRole,

    // Criteria (RubricTableModel)
    CriterionIdRole, ///< stable id such as "c3"
    CriterionTextRole,
    WeightRole,
    CategoryRole,
    TagsRole,
    PenaltyRole, ///< true when the criterion's points are negative

    // Import preview (ImportPreviewModel)
    RecordLineRole,
    RecordProblemRole,
};

} // namespace rs::ui
