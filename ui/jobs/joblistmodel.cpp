#include "jobs/joblistmodel.h"

#include "judge/judgejob.h"
#include "common/roles.h"
#include "common/uitext.h"
#include "common/theme.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace rs::ui {
namespace {

QString num(qint64 n) {
    return QLocale().toString(n);
}

} // namespace

JobListModel::JobListModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void JobListModel::addJob(JudgeJob *job) {
    const int row = int(m_jobs.size());
    beginInsertRows({}, row, row);
    m_jobs.append(job);
    endInsertRows();
    connect(job, &JudgeJob::progressChanged, this, [this, job] { refreshRow(job); });
    connect(job, &JudgeJob::stateChanged, this, [this, job] {
        refreshRow(job);
        Q_EMIT jobStateChanged(job);
    });
    // By the time destroyed() is emitted the object is only a QObject: compare addresses.
    connect(job, &QObject::destroyed, this, [this](QObject *gone) { removeJob(gone); });
}

JudgeJob *JobListModel::jobAt(int row) const {
    return m_jobs.value(row);
}

int JobListModel::rowOf(const JudgeJob *job) const {
    return int(m_jobs.indexOf(const_cast<JudgeJob *>(job)));
}

QList<JudgeJob *> JobListModel::jobs() const {
    return m_jobs;
}

int JobListModel::activeCount() const {
    int n = 0;
    for (const JudgeJob *job : m_jobs)
        n += job->isActive();
    return n;
}

void JobListModel::refreshRow(const QObject *job) {
    for (int row = 0; row < m_jobs.size(); ++row)
        if (m_jobs[row] == job) {
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            return;
        }
}

void JobListModel::removeJob(const QObject *job) {
    for (int row = 0; row < m_jobs.size(); ++row)
        if (m_jobs[row] == job) {
            beginRemoveRows({}, row, row);
            m_jobs.removeAt(row);
            endRemoveRows();
            return;
        }
}

QString JobListModel::compactCount(qint64 n) {
    const QLocale locale;
    if (n < 1000)
        return locale.toString(n);
    if (n < 1000000)
        return locale.toString(double(n) / 1e3, 'f', n < 10000 ? 1 : 0) + QLatin1Char('k');
    return locale.toString(double(n) / 1e6, 'f', n < 10000000 ? 2 : 1) + QLatin1Char('M');
}

QString JobListModel::costText(double usd, bool priced) {
    if (!priced)
        return tr("unpriced");
    if (usd > 0 && usd < 0.01)
        return QStringLiteral("$") + QLocale().toString(usd, 'f', 4);
    return QStringLiteral("$") + QLocale().toString(usd, 'f', 2);
}

int JobListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobListModel::summaryText(const JudgeJob &job) const {
    const judge::JudgeRunSummary &s = job.summary();
    const QLocale locale;
    switch (job.state()) {
    case JudgeJob::State::Completed:
        if (!s.outcome.isEmpty())
            return tr("Done · %1").arg(s.outcome);
        return s.callsPlanned == 0
                   ? tr("Nothing to do: all %1 verdicts stored")
                         .arg(locale.toString(s.verdictsWanted))
                   : tr("Done · %1")
                         .arg(countText(s.verdictsStored, tr("verdict"), tr("verdicts")));
    case JudgeJob::State::Incomplete:
        return tr("Done · %1").arg(countText(s.failedCalls, tr("failed call"), tr("failed calls")));
    case JudgeJob::State::Cancelled:
        return tr("Cancelled · resumes when run again");
    case JudgeJob::State::Failed:
        return tr("Failed: %1").arg(firstLine(job.errorText()));
    default:
        return JudgeJob::stateText(job.state());
    }
}

QVariant JobListModel::display(const JudgeJob &job, int column) const {
    const judge::JudgeProgress &p = job.progress();
    const QLocale locale;
    switch (column) {
    case NameColumn:
        return job.name();
    case ProgressColumn:
        if (p.callsTotal <= 0)
            return job.isActive() ? QVariant() : QVariant(QStringLiteral("100 %"));
        return QStringLiteral("%1 %").arg(p.callsDone * 100 / p.callsTotal);
    case CountColumn:
        if (job.state() == JudgeJob::State::Starting)
            return tr("planning…");
        return QStringLiteral("%1 / %2").arg(locale.toString(p.callsDone),
                                             locale.toString(p.callsTotal));
    case EtaColumn:
        if (job.state() == JudgeJob::State::Paused)
            return tr("paused");
        if (job.isActive())
            return job.etaSeconds() >= 0 ? tr("ETA %1").arg(durationText(job.etaSeconds()))
                                         : QStringLiteral("—");
        return tr("took %1").arg(durationText(job.elapsedSeconds()));
    case TokensColumn:
        return tr("%1 tok").arg(compactCount(p.tokens));
    case CostColumn:
        return costText(p.costUsd, job.isPriced());
    case StateColumn:
        return summaryText(job);
    }
    return {};
}

QVariant JobListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JudgeJob &job = *m_jobs[index.row()];
    const judge::JudgeProgress &p = job.progress();
    switch (role) {
    case Qt::DisplayRole:
        return display(job, index.column());
    case JobProgressRole:
        if (p.callsTotal > 0)
            return int(p.callsDone * 1000 / p.callsTotal);
        return job.isActive() ? -1 : 1000;
    case JobStateRole:
        return int(job.state());
    case Qt::TextAlignmentRole:
        if (index.column() == CountColumn || index.column() == TokensColumn ||
            index.column() == CostColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == StateColumn &&
            (job.state() == JudgeJob::State::Failed || job.state() == JudgeJob::State::Incomplete))
            return QBrush(Theme::errorColour());
        return {};
    case Qt::ToolTipRole: {
        const judge::JudgeConfig &c = job.config();
        QString tip = tr("%1 (%2) · %3 · %4")
                          .arg(c.provider.name, c.provider.model,
                               c.mode == judge::JudgeMode::Joint ? tr("all criteria per call")
                                                                 : tr("one call per criterion"),
                               countText(c.gradings, tr("grading"), tr("gradings")));
        if (!c.tier.isEmpty())
            tip += tr(" · tier %1").arg(c.tier);
        tip += QLatin1Char('\n') + tr("%1 of %2 calls, %3 from the cache, %4 failed")
                                       .arg(num(p.callsDone), num(p.callsTotal), num(p.cachedCalls),
                                            num(p.failedCalls));
        if (job.isFinished() && job.state() != JudgeJob::State::Failed)
            tip += QLatin1Char('\n') +
                   tr("Run %1: %2 of %3 verdicts were stored before; %4 stored now")
                       .arg(job.summary().runId)
                       .arg(num(job.summary().verdictsBefore), num(job.summary().verdictsWanted),
                            num(job.summary().verdictsStored));
        if (job.state() == JudgeJob::State::Failed)
            tip += QLatin1Char('\n') + job.errorText();
        if (!job.failures().isEmpty())
            tip += QLatin1Char('\n') + tr("Double-click to see the failures.");
        return tip;
    }
    default:
        return {};
    }
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Job");
    case ProgressColumn:
        return tr("Progress");
    case CountColumn:
        return tr("Calls");
    case EtaColumn:
        return tr("Time");
    case TokensColumn:
        return tr("Tokens");
    case CostColumn:
        return tr("Cost");
    case StateColumn:
        return tr("State");
    }
    return {};
}

} // namespace rs::ui
