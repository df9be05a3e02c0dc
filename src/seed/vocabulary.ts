/**
 * The words of the demo modules: everyday English for young learners, by theme. A module
 * takes 15-25 words of one theme, in this order.
 */
export const themes = {
  Animals:
    'cat dog bird fish horse cow pig sheep duck rabbit mouse lion tiger bear monkey elephant giraffe zebra frog snake turtle chicken goat owl bee butterfly'.split(
      ' ',
    ),
  Food: 'apple banana orange grape pear lemon bread rice egg milk cheese cake cookie soup noodle chicken carrot potato tomato onion pizza sandwich juice water candy'.split(
    ' ',
  ),
  Colours:
    'red blue green yellow orange purple pink brown black white grey gold silver dark light bright colour paint rainbow crayon marker pencil brush picture shape'.split(
      ' ',
    ),
  Family:
    'mother father sister brother baby grandma grandpa aunt uncle cousin family parent child son daughter friend name home love hug kiss birthday party present card'.split(
      ' ',
    ),
  Body: 'head face eye ear nose mouth tooth hair hand arm leg foot finger toe knee neck back shoulder chin cheek lip tongue heart body skin'.split(
    ' ',
  ),
  School:
    'book pen pencil ruler eraser bag desk chair teacher student class lesson board chalk paper notebook scissors glue library homework test question answer school playground'.split(
      ' ',
    ),
  Home: 'house room kitchen bedroom bathroom door window table bed sofa lamp clock mirror garden roof floor wall stairs cup plate bowl spoon fork knife towel'.split(
    ' ',
  ),
  Weather:
    'sun rain snow wind cloud storm hot cold warm cool sunny rainy snowy windy cloudy sky rainbow thunder lightning ice fog season spring summer autumn winter'.split(
      ' ',
    ),
  Transport:
    'car bus train plane boat ship bike taxi truck tractor helicopter rocket subway road bridge station airport ticket driver pilot wheel engine map trip travel'.split(
      ' ',
    ),
  Actions:
    'run walk jump swim sing dance read write draw play eat drink sleep climb throw catch kick ride cook clean open close listen speak look'.split(
      ' ',
    ),
  Clothes:
    'shirt dress skirt coat jacket hat cap scarf glove sock shoe boot trousers shorts jeans sweater pyjamas uniform button pocket belt tie umbrella watch ring'.split(
      ' ',
    ),
  Nature:
    'tree flower grass leaf river lake sea beach mountain hill forest island rock sand stone star moon earth field farm park pond seed root branch'.split(
      ' ',
    ),
} as const;

export type Theme = keyof typeof themes;
