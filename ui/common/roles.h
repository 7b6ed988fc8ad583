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

    // Responses (VerdictGridModel)
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

    // Verdict grid (VerdictGridModel, CompareVerdictModel, RewardBreakdownModel)
    RankRole,           ///< 1-based rank by reward; equal rewards share it
    RewardRole,         ///< double; invalid when the response has no verdict yet
    TiedAtTopRole,      ///< shares the best reward with another judged response
    CriterionIndexRole, ///< position of a criterion in its rubric, -1 outside criteria
    CellStateRole,      ///< int(judge::CellState) of a response × criterion cell
    YesVotesRole,
    NoVotesRole,
    FailedVotesRole,
    RationaleRole,
    CallIdRole,     ///< the judge call behind the verdict, 0 when none
    OverrideIdRole, ///< the live human override, 0 when none
    OverrideNoteRole,

    // Jobs (JobListModel) and providers (ProviderListModel)
    JobProgressRole, ///< per mille done (0–1000), -1 while the total is unknown
    JobStateRole,    ///< int(JudgeJob::State)
    ProviderNameRole,

    // Analysis tables (MetricTableModel)
    MetricValueRole, ///< the raw number or text of a cell, unformatted
    // Rubric editor (CriteriaEditModel), history (VersionListModel), diff (RubricDiffModel)
    LintRulesRole,   ///< QStringList of lint rule names ("compound", ...) for a criterion
    LintReasonsRole, ///< QStringList of one-line reasons, in the same order
    YesRatesRole,    ///< QVariantMap tier -> yes-rate (0–1) under the latest judge run
    DeadRole,        ///< bool: every judged top response passes, or every one fails
    VersionIdRole,
    ParentVersionIdRole,
    OriginRole,      ///< "manual", "generation", "rtd", "import", "restore"
    VersionTagRole,
    IsHeadRole,      ///< the prompt's current version
    DiffKindRole,    ///< int(rubric::DiffKind) of a diff row
    // Rubric pack preview (PackPreviewModel)
    PackRecordJsonRole, ///< the record as written, pretty-printed JSON

    // RTD panel (RtdRoundModel, RtdProposalModel)
    RtdRoundRole,    ///< 1-based round within its series
    PairIdsRole,     ///< QList<qint64>{a, b}: the responses that drove a round
    AcceptedRole,    ///< bool: the proposed change of this row is accepted

    // Aggregation preview (AggregationCandidateModel, AggregationResponseModel)
    CurrentAggregationRole, ///< bool: the row is each rubric's stored aggregation

    // Soft verdicts in the heatmap (VerdictGridModel)
    PYesRole,         ///< double: the P(yes) a cell is shaded by; invalid for hard-only cells
    VerdictShadeRole, ///< QColor: that P(yes) on the no → yes scale (verdictshade.h)
};

} // namespace rs::ui
