import Testing
import WebPages

@Test func interpolatedTextIsEscapedAndRawMarkupIsKept() {
    let name = "<script>alert('x')</script>&\""
    let page: HTMLBuilder = "<p title=\"\(name)\">\(HTML.raw("<b>ok</b>"))</p>"
    #expect(page.html.rendered == "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\"><b>ok</b></p>")
}

@Test func errorPageEscapesItsMessage() {
    let html = ErrorPage.render(ErrorPageModel(statusCode: 404, title: "Not found", message: "<img src=x>", requestID: "r-1", language: .en))
    #expect(html.contains("&lt;img src=x&gt;"))
    #expect(!html.contains("<img"))
    #expect(html.contains("lang=\"en\""))
    #expect(html.contains("r-1"))
}
