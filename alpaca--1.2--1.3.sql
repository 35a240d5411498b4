/* alpaca--1.2--1.3.sql: upgrade from 1.2 */

\echo Use "ALTER EXTENSION alpaca UPDATE TO '1.3'" to load this file. \quit
