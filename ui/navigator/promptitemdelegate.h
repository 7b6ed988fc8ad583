#pragma once

#include <QStyledItemDelegate>

namespace rs::ui {

/// Paints a navigator row as two lines: "#id first line of the prompt" and, smaller and
/// quieter, "N resp · M criteria · vK". Both are elided rather than wrapped so every row has
/// the same height, which keeps scrolling through thousands of prompts cheap.
class PromptItemDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    explicit PromptItemDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    static QFont countsFont(const QFont &base);
};

} // namespace rs::ui
