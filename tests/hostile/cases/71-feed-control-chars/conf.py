html_baseurl = "https://example.org/"
topofmind_feed_content = "full"
