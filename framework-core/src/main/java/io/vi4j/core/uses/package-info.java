/** What users do with a trained model: representations (and, to come, scores and imputations). */
package io.vi4j.core.uses;
