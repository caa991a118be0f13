/**
 * The one JSON writer and reader of hesspec ({@link org.hesspec.json.Json}), used for
 * {@code run.json}, {@code hesspec-model.json} and the resolved experiment.
 */
package org.hesspec.json;
