#include "project/projectstatuslabel.h"

#include "common/asynctask.h"
#include "common/uitext.h"

#include <QDir>

namespace rs::ui {

ProjectStatusLabel::ProjectStatusLabel(QWidget *parent)
    : QLabel(parent)
{
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setContentsMargins(4, 0, 4, 0);
    refresh({});
}

void ProjectStatusLabel::refresh(const QString &path)
{
    const quint64 generation = ++m_generation;
    if (path.isEmpty()) {
        setText(tr("No project open — File ▸ New… or File ▸ Open…"));
        setToolTip({});
        Q_EMIT refreshed();
        return;
    }
    const QString shown = QDir::toNativeSeparators(path);
    setToolTip(shown);
    runQuery<ProjectStats>(
        this, path, [](store::ProjectReader &reader) { return reader.stats(); },
        [this, generation, shown](Expected<ProjectStats> stats) {
            if (generation != m_generation)
                return;
            if (!stats) {
                setText(tr("%1 — cannot count: %2").arg(shown, stats.error().message));
            } else {
                const ProjectStats &s = stats.value();
                QStringList parts{shown,
                                  countText(s.prompts, tr("prompt"), tr("prompts")),
                                  countText(s.responses, tr("response"), tr("responses")),
                                  countText(s.generators, tr("generator"), tr("generators")),
                                  countText(s.rubrics, tr("rubric"), tr("rubrics")),
                                  countText(s.criteria, tr("criterion"), tr("criteria"))};
                if (s.emptyResponses > 0)
                    parts << countText(s.emptyResponses, tr("empty response"),
                                       tr("empty responses"));
                setText(parts.join(QStringLiteral(" · ")));
            }
            Q_EMIT refreshed();
        });
}

} // namespace rs::ui
