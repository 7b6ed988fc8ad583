#include "trainingcurves.h"

#include "store/database.h"
#include "store/projectstore.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <map>

namespace rs::analytics {
namespace {

QString normalised(QString name) {
    name = name.trimmed().toLower();
    name.replace(QLatin1Char(' '), QLatin1Char('_'));
    name.replace(QLatin1Char('-'), QLatin1Char('_'));
    return name;
}

// Plain CSV: comma separated, optional double quotes around a field (no embedded newlines:
// curve files are numbers and arm names).
QStringList splitCsv(const QString &line) {
    QStringList out;
    QString cur;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar ch = line[i];
        if (quoted) {
            if (ch == QLatin1Char('"') && i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
                cur += ch;
                ++i;
            } else if (ch == QLatin1Char('"')) {
                quoted = false;
            } else {
                cur += ch;
            }
        } else if (ch == QLatin1Char('"')) {
            quoted = true;
        } else if (ch == QLatin1Char(',')) {
            out << cur.trimmed();
            cur.clear();
        } else {
            cur += ch;
        }
    }
    out << cur.trimmed();
    return out;
}

} // namespace

void markPeak(TrainingCurve &curve) {
    curve.peakIndex = -1;
    for (size_t i = 0; i < curve.points.size(); ++i) {
        const auto &w = curve.points[i].winRate;
        if (w && (curve.peakIndex < 0 || *w > *curve.points[size_t(curve.peakIndex)].winRate))
            curve.peakIndex = int(i);
    }
}

Expected<std::vector<TrainingCurve>> parseTrainingCurves(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return makeError(QStringLiteral("cannot open: %1").arg(f.errorString()), path);
    int colStep = -1, colWin = -1, colReward = -1, colArm = -1;
    std::map<QString, TrainingCurve> arms;
    const QString defaultArm = QFileInfo(path).completeBaseName();
    qint64 lineNo = 0;
    bool percent = false;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        ++lineNo;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList fields = splitCsv(line);
        if (colStep < 0) {
            for (int i = 0; i < fields.size(); ++i) {
                const QString n = normalised(fields[i]);
                if (n == QLatin1String("step"))
                    colStep = i;
                else if (n == QLatin1String("win_rate") || n == QLatin1String("winrate"))
                    colWin = i;
                else if (n == QLatin1String("rubric_reward") || n == QLatin1String("reward") ||
                         n == QLatin1String("mean_rubric_reward"))
                    colReward = i;
                else if (n == QLatin1String("arm") || n == QLatin1String("rubric"))
                    colArm = i;
            }
            if (colStep < 0 || (colWin < 0 && colReward < 0))
                return makeError(QStringLiteral("the header must name a step column and a win_rate "
                                                "or rubric_reward column"),
                                 path, lineNo);
            continue;
        }
        const auto number = [&](int col, std::optional<double> &out) -> Expected<void> {
            if (col < 0 || col >= fields.size() || fields[col].isEmpty())
                return {};
            bool ok = false;
            const double v = fields[col].toDouble(&ok);
            if (!ok)
                return makeError(QStringLiteral("\"%1\" is not a number").arg(fields[col]), path,
                                 lineNo);
            out = v;
            return {};
        };
        CurvePoint p;
        bool ok = false;
        p.step = colStep < fields.size() ? fields[colStep].toLongLong(&ok) : 0;
        if (!ok)
            return makeError(QStringLiteral("step must be an integer"), path, lineNo);
        if (auto r = number(colWin, p.winRate); !r)
            return r.error();
        if (auto r = number(colReward, p.rubricReward); !r)
            return r.error();
        percent = percent || (p.winRate && *p.winRate > 1);
        const QString arm = colArm >= 0 && colArm < fields.size() && !fields[colArm].isEmpty()
                                ? fields[colArm]
                                : defaultArm;
        TrainingCurve &c = arms[arm];
        c.arm = arm;
        c.sourceFile = QFileInfo(path).fileName();
        c.points.push_back(p);
    }
    if (colStep < 0)
        return makeError(QStringLiteral("empty curves file"), path);
    std::vector<TrainingCurve> out;
    for (auto &[name, c] : arms) {
        std::sort(c.points.begin(), c.points.end(),
                  [](const CurvePoint &a, const CurvePoint &b) { return a.step < b.step; });
        if (percent)
            for (CurvePoint &p : c.points)
                if (p.winRate)
                    *p.winRate /= 100;
        markPeak(c);
        out.push_back(std::move(c));
    }
    return out;
}

Expected<qint64> importTrainingCurves(store::ProjectStore &store, const QString &path) {
    auto curves = parseTrainingCurves(path);
    if (!curves)
        return curves.error();
    qint64 stored = 0;
    auto r = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto del = db.prepare("DELETE FROM training_curves WHERE arm = ?1");
        auto ins =
            db.prepare("INSERT OR REPLACE INTO training_curves(arm, step, win_rate, rubric_reward,"
                       " source_file) VALUES(?1, ?2, ?3, ?4, ?5)");
        if (!del)
            return del.error();
        if (!ins)
            return ins.error();
        for (const TrainingCurve &c : curves.value()) {
            del->reset();
            del->bind(1, c.arm);
            if (auto res = del->run(); !res)
                return res;
            for (const CurvePoint &p : c.points) {
                ins->reset();
                ins->bind(1, c.arm);
                ins->bind(2, std::int64_t(p.step));
                if (p.winRate)
                    ins->bind(3, *p.winRate);
                else
                    ins->bindNull(3);
                if (p.rubricReward)
                    ins->bind(4, *p.rubricReward);
                else
                    ins->bindNull(4);
                ins->bind(5, c.sourceFile);
                if (auto res = ins->run(); !res)
                    return res;
                ++stored;
            }
        }
        return {};
    });
    if (!r)
        return r.error();
    return stored;
}

Expected<std::vector<TrainingCurve>> readTrainingCurves(store::Database &db) {
    auto st = db.prepare("SELECT arm, step, win_rate, rubric_reward, coalesce(source_file, '')"
                         " FROM training_curves ORDER BY arm, step");
    if (!st)
        return st.error();
    std::vector<TrainingCurve> out;
    auto read = st->forEach([&] {
        const QString arm = st->columnText(0);
        if (out.empty() || out.back().arm != arm)
            out.push_back(TrainingCurve{arm, st->columnText(4), {}, -1});
        CurvePoint p;
        p.step = st->columnInt(1);
        if (!st->columnIsNull(2))
            p.winRate = st->columnDouble(2);
        if (!st->columnIsNull(3))
            p.rubricReward = st->columnDouble(3);
        out.back().points.push_back(p);
    });
    if (!read)
        return read.error();
    for (TrainingCurve &c : out)
        markPeak(c);
    return out;
}

} // namespace rs::analytics
