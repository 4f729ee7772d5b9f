/**
 * {@code report.html}: one self-contained page per run directory and per comparison folder that gathers
 * what the commands wrote there — the summary, learning curves drawn from {@code metrics.jsonl}, samples
 * and reconstructions, outlier scores (histograms per class, ROC curves), imputations, the latent scatter,
 * gradient variances and the amortization gap — so that a run is looked at in a browser rather than in
 * JSON files.
 *
 * <p>Pages are rendered from <a href="https://github.com/spullara/mustache.java">Mustache</a> templates
 * (resources beside these classes). Every picture is inlined as a base64 {@code data:} URI and every
 * number is in the page, so a page opens from disk, is copied or mailed as one file, and never reaches the
 * network. A small inline script marks the page once every image has loaded ({@code data-images} on
 * {@code <body>}), which the headless-browser test reads.
 *
 * <p>The pages read the files of a run directory; nothing here trains or evaluates. The command line
 * regenerates a run's page whenever a command adds outputs to the run ({@link RunPage#write}), and
 * {@code compare} writes its folder's page ({@link ComparisonPage#write}).
 */
package io.vi4j.core.page;
