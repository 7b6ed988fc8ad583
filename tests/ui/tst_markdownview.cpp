// The reader pane renders untrusted Markdown: it must never fetch a resource (no network, no
// local files) and must never follow a link.

#include "common/markdownview.h"

#include <QImage>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextCursor>
#include <QTextDocument>

#ifdef Q_OS_UNIX
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using rs::ui::MarkdownView;

namespace {
constexpr int kTimeoutMs = 20000;

#ifdef Q_OS_UNIX
/// A listening socket on 127.0.0.1 that counts the connections anyone made to it: the proof
/// that rendering did not touch the network, not just that nothing came back.
class ConnectionTrap final {
public:
    ConnectionTrap()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
            ::listen(m_fd, 8) != 0)
            return;
        socklen_t len = sizeof addr;
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        ::fcntl(m_fd, F_SETFL, O_NONBLOCK);
    }
    ~ConnectionTrap()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    int port() const { return m_port; }
    int acceptedConnections()
    {
        int n = 0;
        for (;;) {
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0)
                break;
            ::close(c);
            ++n;
        }
        return n;
    }

private:
    int m_fd = -1;
    int m_port = 0;
};
#endif

} // namespace

class TestMarkdownView final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void remoteImage_isNeverRequested();
    void localImage_isNotReadFromDisk();
    void clickingALink_opensNothing();
    void markdown_isRendered();
    void unclosedHtmlTags_doNotCutTheRestOff();
};

void TestMarkdownView::remoteImage_isNeverRequested()
{
    int port = 1;
#ifdef Q_OS_UNIX
    ConnectionTrap trap;
    QVERIFY(trap.port() > 0);
    port = trap.port();
#endif
    const QUrl image(QStringLiteral("http://127.0.0.1:%1/x.png").arg(port));
    const QUrl htmlImage(QStringLiteral("http://127.0.0.1:%1/y.png").arg(port));
    MarkdownView view;
    QSignalSpy blocked(&view, &MarkdownView::resourceBlocked);
    view.resize(600, 400);
    // Markdown images and raw HTML ones (which Qt's Markdown import passes to its HTML parser).
    view.showMarkdown(QStringLiteral("# Report\n\n![x](%1)\n\n<p><img src=\"%2\"></p>\n\n"
                                     "See [the source](http://127.0.0.1:%3/page).\n")
                          .arg(image.toString(), htmlImage.toString())
                          .arg(port));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // Laying the image out is when a document asks for it.
    QTRY_VERIFY_WITH_TIMEOUT(view.blockedUrls().contains(image), kTimeoutMs);
    QVERIFY(blocked.count() >= 1);
    QVERIFY(view.document()->resource(QTextDocument::ImageResource, image).isNull());
    QTRY_VERIFY_WITH_TIMEOUT(view.blockedUrls().contains(htmlImage), kTimeoutMs);
    QVERIFY(view.document()->resource(QTextDocument::ImageResource, htmlImage).isNull());
    QVERIFY(view.loadResource(QTextDocument::ImageResource, image).isNull());
    QVERIFY(view.toPlainText().contains(QLatin1String("the source")));
#ifdef Q_OS_UNIX
    QCOMPARE(trap.acceptedConnections(), 0);
#endif
}

void TestMarkdownView::localImage_isNotReadFromDisk()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("secret.png"));
    QImage pixels(8, 8, QImage::Format_RGB32);
    pixels.fill(Qt::red);
    QVERIFY(pixels.save(file));
    const QUrl url = QUrl::fromLocalFile(file);

    MarkdownView view;
    view.resize(600, 400);
    view.showMarkdown(QStringLiteral("![local](%1)\n\n![qrc](qrc:/demo/demo_rollouts.json)\n")
                          .arg(url.toString()));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY_WITH_TIMEOUT(view.blockedUrls().contains(url), kTimeoutMs);
    // QTextDocument would read file: URLs itself if its loadResource were not overridden.
    QVERIFY(view.document()->resource(QTextDocument::ImageResource, url).isNull());
}

void TestMarkdownView::clickingALink_opensNothing()
{
    MarkdownView view;
    QVERIFY(!view.openLinks());
    QVERIFY(!view.openExternalLinks());
    view.resize(600, 300);
    view.showMarkdown(QStringLiteral("Read [this page](http://127.0.0.1:1/page) first.\n"));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString before = view.toPlainText();

    QTextCursor cursor = view.document()->find(QStringLiteral("this page"));
    QVERIFY(!cursor.isNull());
    cursor.setPosition(cursor.selectionStart() + 2);
    const QPoint where = view.cursorRect(cursor).center();
    QSignalSpy clicked(&view, &QTextBrowser::anchorClicked);
    QSignalSpy sourceChanged(&view, &QTextBrowser::sourceChanged);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, where);
    QTRY_COMPARE_WITH_TIMEOUT(clicked.count(), 1, kTimeoutMs); // the click did hit the link
    QCOMPARE(clicked.first().first().toUrl(), QUrl(QStringLiteral("http://127.0.0.1:1/page")));
    QCOMPARE(sourceChanged.count(), 0);
    QVERIFY(view.source().isEmpty());
    QCOMPARE(view.toPlainText(), before);
}

void TestMarkdownView::markdown_isRendered()
{
    MarkdownView view;
    view.showMarkdown(
        QStringLiteral("## Steps\n\n1. **Drink** water\n2. Rest\n\n```python\nprint(1)\n```\n"));
    const QString text = view.toPlainText();
    QVERIFY(text.contains(QLatin1String("Steps")));
    QVERIFY(!text.contains(QLatin1String("##")));
    QVERIFY(!text.contains(QLatin1String("**")));
    QVERIFY(text.contains(QLatin1String("print(1)")));
    QCOMPARE(view.markdown().left(8), QStringLiteral("## Steps"));
}

void TestMarkdownView::unclosedHtmlTags_doNotCutTheRestOff()
{
    // Qt 6.4 drops everything after an unclosed void element; the view must show it all.
    MarkdownView view;
    view.showMarkdown(QStringLiteral("Line one<br>line two.\n\nA rule<hr>here.\n\n"
                                     "Keep `<br>` in code.\n\n```html\n<img src=\"a.png\">\n```\n\n"
                                     "The end.\n"));
    const QString text = view.toPlainText();
    QVERIFY2(text.contains(QLatin1String("line two.")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("The end.")), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("Keep <br> in code.")));
    QVERIFY(text.contains(QLatin1String("<img src=\"a.png\">")));
    QCOMPARE(MarkdownView::closeVoidHtmlTags(QStringLiteral("a<BR>b <img src=\"x\"> <br/> `<br>`")),
             QStringLiteral("a<BR />b <img src=\"x\" /> <br/> `<br>`"));
}

QTEST_MAIN(TestMarkdownView)
#include "tst_markdownview.moc"
