#pragma once

#include "rubric/rubricdiff.h"
#include "rubric/rubricversions.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QTableView;

namespace rs::ui {

class RubricDiffModel;
class VersionListModel;

/// The rubric's version history and a diff. Select one version to see what it changed from
/// its parent, two to compare them (older to newer), none to see the unsaved draft against
/// the current version. Restore and tag act on the selected version.
class VersionHistoryPane final : public QWidget {
    Q_OBJECT

public:
    explicit VersionHistoryPane(QWidget *parent = nullptr);

    void setProject(const QString &path);
    void setVersions(const QList<rubric::VersionInfo> &versions, qint64 headId);
    /// The draft's changes against the version it started from, shown with no selection.
    void setPendingDiff(const rubric::RubricDiff &diff);

    VersionListModel *versionModel() const { return m_versions; }
    RubricDiffModel *diffModel() const { return m_diff; }
    QTableView *historyView() const { return m_history; }
    QTableView *diffView() const { return m_diffView; }
    QLabel *diffTitle() const { return m_diffTitle; }
    /// Selects the versions with these ids (one or two) in the history.
    void selectVersions(const QList<qint64> &ids);

Q_SIGNALS:
    void restoreRequested(qint64 versionId);
    void tagRequested(qint64 versionId, const QString &tag);
    /// A stored diff finished loading (tests wait for it).
    void diffShown();

private:
    QList<qint64> selectedIds() const; ///< oldest first
    void updateDiff();
    void askTag();

    QString m_path;
    VersionListModel *m_versions = nullptr;
    RubricDiffModel *m_diff = nullptr;
    QTableView *m_history = nullptr;
    QTableView *m_diffView = nullptr;
    QLabel *m_diffTitle = nullptr;
    QPushButton *m_restore = nullptr;
    QPushButton *m_tag = nullptr;
    QCheckBox *m_showUnchanged = nullptr;
    rubric::RubricDiff m_pending;
    quint64 m_generation = 0;
};

} // namespace rs::ui
