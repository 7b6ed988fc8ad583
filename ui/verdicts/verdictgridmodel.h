#pragma once

#include "domain/records.h"
#include "judge/verdictgrid.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace rs::ui {

/// The selected prompt's responses × criteria under one judge run: rank, reward, generator,
/// tier and length, then one column per criterion whose cells carry the verdict (CellStateRole,
/// vote counts, rationale, override; for soft verdicts the P(yes) and its shade) for
/// VerdictCellDelegate to paint as a heatmap.
///
/// Rows stay in the order of the first load of a prompt; a reload of the same prompt (after an
/// override) updates them in place with dataChanged, so a sorting proxy re-ranks them while
/// the view keeps its current cell. Sort by RankColumn through SortRole for the ranking.
/// The runs of the project are read once per project (and on reload()), the grid on a worker
/// whenever the prompt or the run changes.
class VerdictGridModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        RankColumn,
        RewardColumn,
        GeneratorColumn,
        TierColumn,
        LengthColumn,
        FirstCriterionColumn
    };

    explicit VerdictGridModel(QObject *parent = nullptr);

    void setProject(const QString &path);
    /// Loads the grid of `promptId` (0 empties the model).
    void setPrompt(qint64 promptId);
    /// Shows the verdicts of `runId`; 0 follows the most recent run.
    void setRun(qint64 runId);
    /// How criteria without a usable verdict count in the rewards (and so the ranking).
    void setMissingPolicy(judge::MissingPolicy policy);
    judge::MissingPolicy missingPolicy() const { return m_missing; }
    /// Re-reads the list of runs and the grid (after an import or a judge run).
    void reload();
    /// Re-reads only the grid (after an override): the run list cannot have changed.
    void reloadGrid();

    QString projectPath() const { return m_path; }
    qint64 promptId() const { return m_promptId; }
    /// The prompt whose grid is in the model now; differs from promptId() while loading.
    qint64 loadedPromptId() const { return m_grid.promptId; }
    bool isLoading() const { return m_loading; }

    /// The runs of the project, newest first.
    const QList<judge::RunInfo> &runs() const { return m_runs; }
    /// The run asked for with setRun (0: the latest).
    qint64 runChoice() const { return m_runChoice; }
    /// The run whose verdicts are shown; 0 when the project has no judge run yet.
    qint64 runId() const { return m_grid.runId; }
    const judge::VerdictGrid &grid() const { return m_grid; }

    int criterionCount() const { return int(m_grid.criteria.size()); }
    /// The criterion shown in `column`, or -1 for the fact columns.
    int criterionAt(int column) const;
    const judge::GridRow &row(int row) const { return m_rows.at(row); }
    /// The response behind `row`, text and all.
    ResponseRecord record(int row) const;
    int rowOfResponse(qint64 responseId) const;
    /// Whether the row has a verdict at all (a reward worth showing).
    bool isJudged(int row) const;
    /// Shares the best reward with another judged response.
    bool isTiedAtTop(int row) const;
    int tiedAtTopCount() const;
    /// Some cell is shaded by its P(yes) (probability mode, or several votes): the legend shows.
    bool hasShadedCells() const;

    /// Orders tiers best first: excellent, great, good, ok, base, bad; unknown tiers after
    /// those, and responses without a tier last.
    static int tierRank(const QString &tier);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// The grid of `promptId` is in the model (also after an error: then it is empty).
    void loaded(qint64 promptId);
    /// runs() changed.
    void runsLoaded();
    void errorOccurred(const QString &message);

private:
    struct Load;
    void loadRuns();
    void applyGrid(Load load);
    bool sameShape(const judge::VerdictGrid &grid) const;
    QVariant factData(const judge::GridRow &row, int rowIndex, int column, int role) const;
    QVariant cellData(const judge::GridRow &row, int criterion, int role) const;

    QString m_path;
    qint64 m_promptId = 0;
    qint64 m_runChoice = 0;
    judge::MissingPolicy m_missing = judge::MissingPolicy::CountAsNo;
    QList<judge::RunInfo> m_runs;
    bool m_runsLoaded = false;
    judge::VerdictGrid m_grid; ///< metadata of the loaded grid; its rows live in m_rows
    QList<judge::GridRow> m_rows;
    QHash<qint64, ResponseRecord> m_records;
    quint64 m_gridGeneration = 0;
    quint64 m_runsGeneration = 0;
    bool m_loading = false;
};

} // namespace rs::ui
